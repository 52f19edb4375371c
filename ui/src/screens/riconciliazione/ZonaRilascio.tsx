// The dashed box where files are dropped in the Riconciliazione screen (the FdR's and the
// treasury's): highlighted while a file is over it or over the window (`evidenziata`), and a
// drop hands the files to `suFile` unless the screen is busy.
import { useState, type ReactNode } from 'react'

interface Props {
  evidenziata: boolean
  occupato: boolean
  suFile: (files: FileList) => void
  testid: string
  children: ReactNode
}

export function ZonaRilascio({ evidenziata, occupato, suFile, testid, children }: Props) {
  const [sopra, setSopra] = useState(false)
  return (
    <div
      className={`mpd-drop-fdr border rounded p-3 mb-3 ${evidenziata || sopra ? 'border-primary bg-light' : ''}`}
      style={{ borderStyle: 'dashed' }}
      data-testid={testid}
      onDragOver={(e) => {
        e.preventDefault()
        setSopra(true)
      }}
      onDragLeave={() => setSopra(false)}
      onDrop={(e) => {
        e.preventDefault()
        setSopra(false)
        if (!occupato) suFile(e.dataTransfer.files)
      }}
    >
      {children}
    </div>
  )
}
