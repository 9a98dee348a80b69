import { test, expect } from '@playwright/test';
import { login } from './helpers';

// 登录, the shell and 退出, run with JavaScript on and off (see playwright.config.ts).

test('密码错误时提示「用户名或密码错误」并保留用户名', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel('用户名').fill('sjz_am1');
  await page.getByLabel('密码').fill('not-the-password');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('alert')).toHaveText('用户名或密码错误');
  await expect(page.getByLabel('用户名')).toHaveValue('sjz_am1');
  await expect(page.getByLabel('密码')).toHaveValue('');
});

test('客户经理登录后看到姓名、登录时间和菜单，没有系统管理', async ({ page }) => {
  await login(page, 'sjz_am1');
  await expect(page.locator('.user-name')).toHaveText('石家庄客户经理1');
  await expect(page.locator('.login-time')).toContainText(/登录时间：\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
  const menu = page.getByRole('navigation');
  for (const entry of ['首页', '客户', '商机', '公告通知', '商机排名', '个人资料']) {
    // A menu entry may carry its count badge (待办 / 待阅 left by other tests).
    await expect(menu.getByRole('link', { name: new RegExp(`^${entry}(\\s*\\d+)*$`) })).toBeVisible();
  }
  // 任务 carries its counts of 待办 and 待阅 when there are any.
  await expect(menu.getByRole("link", { name: /^任务( \d+)*$/ })).toBeVisible();
  await expect(menu.getByRole('link', { name: '系统管理' })).toHaveCount(0);
  await expect(menu.getByRole('link', { name: '统计分析' })).toHaveCount(0);
  // Forcing the address does not help either.
  const response = await page.goto('/admin');
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('heading', { name: '无权访问' })).toBeVisible();
});

test('系统管理员看到系统管理', async ({ page }) => {
  await login(page, 'admin');
  await expect(page.locator('.user-name')).toHaveText('系统管理员');
  await page.getByRole('navigation').getByRole('link', { name: '系统管理' }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole('heading', { name: '系统管理' })).toBeVisible();
  await page.getByRole('link', { name: '用户管理' }).click();
  await expect(page.getByRole('heading', { name: '用户管理' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'sjz_vp1' })).toBeVisible();
});

test('退出回到登录页，后退也看不到应用', async ({ page }) => {
  await login(page, 'sjz_am1');
  await page.getByRole('navigation').getByRole('link', { name: '客户', exact: true }).click();
  await expect(page).toHaveURL(/\/customers$/);
  await page.getByRole('button', { name: '退出' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('button', { name: '登录' })).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByText('石家庄客户经理1')).toHaveCount(0);
});

test('切换到 English 后菜单变为英文，并记住选择', async ({ page }) => {
  await login(page, 'admin');
  await page.getByRole('button', { name: 'English' }).click();
  const menu = page.getByRole('navigation');
  for (const entry of ['Home', 'Customers', 'Opportunities', 'Tasks', 'Announcements', 'Rankings', 'Analysis', 'Administration', 'Profile']) {
    // A menu entry may carry its count badge (待办 / 待阅 left by other tests).
    await expect(menu.getByRole('link', { name: new RegExp(`^${entry}(\\s*\\d+)*$`) })).toBeVisible();
  }
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
  await page.goto('/customers');
  await expect(page.getByRole('link', { name: 'Customers', exact: true })).toBeVisible();
  await page.getByRole('button', { name: '中文' }).click();
  await expect(menu.getByRole('link', { name: '客户', exact: true })).toBeVisible();
});

test.describe('375 px 宽的手机屏幕', () => {
  test.use({ viewport: { width: 375, height: 740 } });

  test('菜单折叠，点开后可用', async ({ page }) => {
    await login(page, 'sjz_am1');
    const customers = page.getByRole('navigation').getByRole('link', { name: '客户', exact: true });
    await expect(customers).toBeHidden();
    await page.getByText('☰ 菜单').click();
    await expect(customers).toBeVisible();
    await customers.click();
    await expect(page).toHaveURL(/\/customers$/);
    // Nothing runs off the side of the screen.
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(375);
  });
});
