import { describe, expect, it, vi } from 'vitest'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }))

import { anteprimaAvviso, svgComeUrl } from './anteprima'

describe('notice preview', () => {
  it("asks the shell's avviso_anteprima for a position's code", async () => {
    invoke.mockResolvedValue('<svg/>')
    expect(await anteprimaAvviso('TARI-2027-0001')).toBe('<svg/>')
    expect(invoke).toHaveBeenCalledWith('avviso_anteprima', { codice: 'TARI-2027-0001' })
  })

  it('makes an <img> source that keeps every character of the SVG', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><text>Sant’Ambrogio & #1 100%</text></svg>'
    const url = svgComeUrl(svg)
    expect(url.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true)
    expect(url).not.toMatch(/[#%]{1}(?![0-9A-F]{2})/)
    expect(decodeURIComponent(url.slice(url.indexOf(',') + 1))).toBe(svg)
  })
})
