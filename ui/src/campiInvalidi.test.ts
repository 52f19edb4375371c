import { afterEach, describe, expect, it } from 'vitest'
import { problemiCampiInvalidi } from './campiInvalidi'

afterEach(() => {
  document.body.innerHTML = ''
})

describe('problemiCampiInvalidi', () => {
  it('accepts an invalid field described by its message', () => {
    document.body.innerHTML = `<input name="a" class="is-invalid" aria-invalid="true" aria-describedby="a-err"><div id="a-err">Sbagliato</div>`
    expect(problemiCampiInvalidi()).toEqual([])
  })
  it('finds a field drawn invalid without aria-invalid, one without a description, one pointing nowhere', () => {
    document.body.innerHTML = `
      <input name="a" class="is-invalid"><div class="invalid-feedback">Sbagliato</div>
      <input name="b" aria-invalid="true">
      <input name="c" aria-invalid="true" aria-describedby="nessuno">
      <input name="d" aria-invalid="true" aria-describedby="vuoto"><div id="vuoto"> </div>`
    expect(problemiCampiInvalidi()).toEqual([
      'a: drawn invalid without aria-invalid',
      'b: aria-invalid without aria-describedby',
      'c: aria-describedby names a missing element (nessuno)',
      'd: its description is empty',
    ])
  })
})
