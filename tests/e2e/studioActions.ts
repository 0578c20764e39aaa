/**
 * Driving the Studio's document actions in Chromium, shared by the browser tests: signing in with
 * a token, and choosing an action from the document's action menu reliably.
 */
import type {Page} from 'playwright-core'
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
