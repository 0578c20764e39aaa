/**
 * The intake's addresses: reports at `POST /feedback`, answers to "Is this page useful?" at
 * `POST /feedback/useful`. Whoever mounts one mounts both (`mount.ts` `isFeedbackRequest`).
 */
export const FEEDBACK_PATH = '/feedback'
export const USEFUL_PATH = '/feedback/useful'

function pathname(url: string): string {
  try {
    return new URL(url, 'http://intake.invalid').pathname.replace(/\/+$/, '')
  } catch {
    return ''
  }
}

export function isUsefulPath(url: string | undefined): boolean {
  return url !== undefined && pathname(url) === USEFUL_PATH
}

export function isIntakePath(url: string): boolean {
  const path = pathname(url)
  return path === FEEDBACK_PATH || path === USEFUL_PATH
}
