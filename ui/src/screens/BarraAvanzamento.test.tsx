import { describe, expect, it } from 'vitest'
import { render, screen } from '@testing-library/react'
import { BarraAvanzamento } from './BarraAvanzamento'

const barra = () => screen.getByRole('progressbar')

describe('BarraAvanzamento', () => {
  it('fills a known share', () => {
    render(<BarraAvanzamento percentuale={40} etichetta="Invio" />)
    expect(barra().style.width).toBe('40%')
    expect(barra().getAttribute('aria-valuenow')).toBe('40')
    expect(barra().getAttribute('aria-label')).toBe('Invio')
    expect(barra().className).not.toMatch(/striped|bg-success/)
  })

  it('moves, full and striped, while the total is unknown; is empty once stopped without one', () => {
    const { rerender } = render(<BarraAvanzamento percentuale={null} etichetta="Lettura" />)
    expect(barra().style.width).toBe('100%')
    expect(barra().className).toMatch(/progress-bar-striped progress-bar-animated/)
    expect(barra().getAttribute('aria-valuenow')).toBeNull()
    rerender(<BarraAvanzamento percentuale={null} attivo={false} etichetta="Lettura" />)
    expect(barra().style.width).toBe('0%')
  })

  it('turns green when finished', () => {
    render(<BarraAvanzamento percentuale={100} attivo={false} etichetta="Scaricamento" testid="b" />)
    expect(screen.getByTestId('b').className).toMatch(/bg-success/)
  })
})
