// The Riconciliazione screen's drop box: highlighted while a file is over it, a drop handed on, nothing taken while busy.
import { describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen } from '@testing-library/react'
import { ZonaRilascio } from './ZonaRilascio'

const file = new File(['x'], 'giornale.csv', { type: 'text/csv' })

describe('ZonaRilascio', () => {
  it('is highlighted while a file is over it and hands a dropped file on', () => {
    const suFile = vi.fn()
    render(
      <ZonaRilascio evidenziata={false} occupato={false} suFile={suFile} testid="zona">
        testo
      </ZonaRilascio>,
    )
    const zona = screen.getByTestId('zona')
    expect(zona.className).not.toContain('border-primary')
    fireEvent.dragOver(zona)
    expect(zona.className).toContain('border-primary')
    fireEvent.dragLeave(zona)
    expect(zona.className).not.toContain('border-primary')
    fireEvent.drop(zona, { dataTransfer: { files: [file] } })
    expect(suFile).toHaveBeenCalledTimes(1)
    expect(suFile.mock.calls[0][0][0].name).toBe('giornale.csv')
  })

  it('takes nothing while the screen is busy, and follows the window-wide highlight', () => {
    const suFile = vi.fn()
    render(
      <ZonaRilascio evidenziata occupato suFile={suFile} testid="zona">
        testo
      </ZonaRilascio>,
    )
    const zona = screen.getByTestId('zona')
    expect(zona.className).toContain('border-primary')
    fireEvent.drop(zona, { dataTransfer: { files: [file] } })
    expect(suFile).not.toHaveBeenCalled()
  })
})
