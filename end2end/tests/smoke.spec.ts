import { test, expect } from '@playwright/test';
import { login } from './helpers';

// The foundation's promise: the page is server-rendered in Chinese, readable without
// JavaScript, and live once the WASM has hydrated it.

test('首页在服务器端渲染，显示组织机构', async ({ page }) => {
  await login(page, 'sjz_am1');
  await expect(page).toHaveTitle('商机管理系统');
  await expect(page.getByRole('heading', { name: '组织机构' })).toBeVisible();
  for (const name of ['河北省分公司', '石家庄', '保定', '唐山', '邯郸']) {
    await expect(page.locator('.org-name', { hasText: new RegExp(`^${name}$`) })).toBeVisible();
  }
});

test('水合后按钮可以收起和展开组织机构', async ({ page, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, 'needs the WASM');
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await login(page, 'sjz_am1');
  const tree = page.locator('.org-tree');
  await expect(tree).toBeVisible();
  // A click before hydration does nothing; retry until the WASM answers.
  await expect(async () => {
    await page.getByRole('button', { name: '收起' }).click({ timeout: 1_000 });
    await expect(tree).toBeHidden({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByRole('button', { name: '展开' })).toHaveAttribute('aria-expanded', 'false');
  await page.getByRole('button', { name: '展开' }).click();
  await expect(tree).toBeVisible();
  expect(errors).toEqual([]);
});

test('健康检查在数据库可用时返回 200', async ({ request }) => {
  const response = await request.get('/healthz');
  expect(response.status()).toBe(200);
  expect(await response.text()).toBe('ok');
});
