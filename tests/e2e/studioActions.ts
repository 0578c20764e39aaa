/**
 * Driving the Studio's document actions in Chromium, shared by the browser tests: signing in with
 * a token, and choosing an action from the document's action menu reliably.
 */
import type {Locator, Page} from 'playwright-core'
import {expect} from 'vitest'

export async function signIn(page: Page, lakeUrl: string, token: string): Promise<void> {
  await page.goto(`${lakeUrl}/studio/`)
  await page.getByText('Local lake').click()
  await page.locator('#token').fill(token)
  await page.getByRole('button', {name: 'Sign in'}).click()
  await page.waitForURL(/\/studio/)
}

/** Whether an action menu is open (its items are on screen). */
export async function menuOpen(page: Page): Promise<boolean> {
  return (await page.locator('[role="menuitem"]:visible').count()) > 0
}

/**
 * Opens the document's action menu afresh and clicks an item. The menu must be shut first: an
 * item of a menu that is closing (after Escape) still takes a click, which then does nothing.
 * Its items also re-render as the document changes under them, so a failed attempt is retried.
 */
export async function chooseAction(page: Page, text: string): Promise<void> {
  let lastError: unknown
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      if (await menuOpen(page)) await page.keyboard.press('Escape')
      await expect.poll(() => menuOpen(page), {timeout: 5000}).toBe(false)
      await page.locator('[data-testid="action-menu-button"]').last().click({timeout: 5000})
      const item = menuItem(page, text)
      await item.waitFor({state: 'visible', timeout: 5000})
      await expect.poll(() => item.isEnabled(), {timeout: 5000}).toBe(true)
      await item.click({timeout: 3000})
      // A handled item closes its menu; one still open means the click went nowhere.
      await expect.poll(() => menuOpen(page), {timeout: 5000}).toBe(false)
      return
    } catch (error) {
      lastError = error
      await page.waitForTimeout(500)
    }
  }
  throw lastError
}

/** A visible item of the open action menu, by its text. */
export function menuItem(page: Page, text: string) {
  return page.locator('[role="menuitem"]:visible', {hasText: text}).first()
}

/** Polls `check` until it returns a value other than undefined, or fails after `ms`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  ms = 30_000,
): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((done) => setTimeout(done, 250))
  }
}

/**
 * Waits until the button has stayed enabled (or disabled) for a second: Publish is briefly
 * enabled after an edit, before validation has run on the new value.
 */
export async function settlesTo(button: Locator, enabled: boolean): Promise<void> {
  let since = 0
  await expect
    .poll(
      async () => {
        if ((await button.isEnabled()) !== enabled) since = 0
        else since ||= Date.now()
        return since > 0 && Date.now() - since >= 1000
      },
      {timeout: 30_000, interval: 250},
    )
    .toBe(true)
}
