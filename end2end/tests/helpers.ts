import { expect, Page } from '@playwright/test';

export const DEMO_PASSWORD = 'Demo@2026!';

/** Logs in through the login form, as a person would, and waits for the home page. */
export async function login(page: Page, user: string, password = DEMO_PASSWORD) {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(user);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  if (password === DEMO_PASSWORD) {
    await expect(page.getByRole('button', { name: '退出' })).toBeVisible();
  }
}

/** Waits until the WASM has hydrated the page (the entry point marks the body). */
export async function hydrated(page: Page) {
  await page.locator('body[data-hydrated]').waitFor();
}
