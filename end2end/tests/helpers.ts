import { expect, Browser, Locator, Page } from '@playwright/test';
import { readFileSync } from 'fs';

export const DEMO_PASSWORD = 'Demo@2026!';

/** The two instances on one PostgreSQL database (playwright.config.ts starts them). */
const port = Number(process.env.E2E_PORT ?? 3100);
export const instanceA = `http://127.0.0.1:${port + 1}`;
export const instanceB = `http://127.0.0.1:${port + 2}`;

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

/** A second person, in their own browser context, logged in. */
export async function as(browser: Browser, user: string, js: boolean) {
  const context = await browser.newContext({ javaScriptEnabled: js });
  const page = await context.newPage();
  await login(page, user);
  return page;
}

/** 添加客户 (政务, 重要客户) through its form. */
export async function addCustomer(page: Page, name: string) {
  await page.goto('/customers/new');
  await page.getByLabel('客户名称').fill(name);
  await page.getByLabel('行业').selectOption({ label: '政务' });
  await page.getByLabel('客户级别').selectOption({ label: '重要客户' });
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page.getByRole('heading', { name })).toBeVisible();
}

/** 报备商机 through the form: customer search, the fields, the approver, 提交审批. */
export async function fileOpportunity(page: Page, name: string, customer: string, approver: string) {
  await page.getByRole('navigation').getByRole('link', { name: '商机', exact: true }).click();
  await page.getByRole('link', { name: '报备商机' }).first().click();
  await page.getByRole('searchbox', { name: '查找客户' }).fill(customer);
  await page.getByRole('button', { name: '查找客户' }).click();
  await page.getByRole('listitem').filter({ hasText: customer }).getByRole('button', { name: '选择' }).click();
  await expect(page.locator('.chosen')).toContainText(customer);
  await page.getByLabel('商机名称').fill(name);
  await page.getByLabel('业务类型').selectOption({ label: '专线' });
  await page.getByLabel('预计金额（元）').fill('120000.50');
  await page.getByLabel('选择审批人').selectOption({ label: approver });
  await page.getByRole('button', { name: '提交审批' }).click();
  await expect(page.getByText('商机报备成功')).toBeVisible();
  await expect(page.getByRole('heading', { name })).toBeVisible();
}

/** Opens the task of `name` from 待办任务 and decides it. */
export async function decideTask(page: Page, name: string, result: RegExp, opinion = '') {
  await page.goto('/tasks?tab=todo');
  await page.getByRole('link', { name }).first().click();
  if (opinion) await page.getByLabel('审批意见').fill(opinion);
  await page.getByRole('radio', { name: result }).check();
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page.getByText('该任务已处理')).toBeVisible();
}

/** Clicks a download link as a person would and returns the file the browser saved. */
export async function downloaded(page: Page, link: Locator): Promise<Buffer> {
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(await download.failure()).toBeNull();
  return readFileSync((await download.path())!);
}

/** Today in China (the application's calendar), as YYYY-MM-DD: UTC's date is a day behind
 * from 16:00 UTC, which put a signing into last month's rankings. */
export function chinaToday(): string {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

/** Opens the task of the opportunity `name` from 任务 待办, and waits for its page. */
export async function openTask(page: Page, name: string) {
  await page.goto('/tasks?tab=todo');
  await page.getByRole('link', { name }).first().click();
  await expect(page.getByRole('heading', { name: new RegExp(name) })).toBeVisible();
}

/** Adds a 政务 customer, files an opportunity on it (云计算, 500,000 元) to 石家庄领导, who
 * approves it; the opportunity's address. */
export async function fileAndApprove(page: Page, browser: Browser, js: boolean, name: string, customer: string) {
  await page.goto('/customers/new');
  await page.getByLabel('客户名称').fill(customer);
  await page.getByLabel('行业').selectOption({ label: '政务' });
  await page.getByLabel('客户级别').selectOption({ label: '重要客户' });
  await page.getByRole('button', { name: '提交' }).click();
  await page.goto('/opportunities/new');
  await page.getByRole('searchbox', { name: '查找客户' }).fill(customer);
  await page.getByRole('button', { name: '查找客户' }).click();
  await page.getByRole('listitem').filter({ hasText: customer }).getByRole('button', { name: '选择' }).click();
  await page.getByLabel('商机名称').fill(name);
  await page.getByLabel('业务类型').selectOption({ label: '云计算' });
  await page.getByLabel('预计金额（元）').fill('500000');
  await page.getByLabel('选择审批人').selectOption({ label: '石家庄领导' });
  await page.getByRole('button', { name: '提交审批' }).click();
  await expect(page.getByText('商机报备成功')).toBeVisible();
  const gm = await as(browser, 'sjz_gm', js);
  await decideTask(gm, name, /通过，审批结束/);
  return page.url().replace(/\?.*$/, '');
}
