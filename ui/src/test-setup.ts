// Vitest setup for every test file: unmount what a test rendered when it ends. A screen left
// mounted keeps answering promises (polls such as the index note's) after the test
// environment is gone, which fails the run with "window is not defined".
import { afterEach } from 'vitest'
import { cleanup } from '@testing-library/react'

afterEach(cleanup)
