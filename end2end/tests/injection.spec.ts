import { test, expect, Page } from '@playwright/test';
import { addCustomer, as, fileOpportunity, hydrated, login, openTask } from './helpers';

// Text as users may type it — SQL meta-characters, markup, a closing </textarea>, emoji and
// full-width characters — is stored and shown back exactly as typed on every page that shows
// it (the customer's page, its edit form, the list, the approver's task page), before and after
// hydration, with nothing injected. A name over its length is refused beside the field with
// what was typed kept.

const TYPED = [
  `O'Brien"; DROP TABLE customers; --`,
  '<script>window.__xss=1</script><b>粗体</b>',
  '</textarea><img src=x id=injected onerror="window.__xss=1">',
  '😀客户ＡＢＣ１２３～！',
];

async function nothingInjected(page: Page, js: boolean) {
  if (js) await hydrated(page);
  await expect(page.locator('#injected')).toHaveCount(0);
  await expect(page.locator('b', { hasText: '粗体' })).toHaveCount(0);
  if (js) expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();
}

for (const [i, text] of TYPED.entries()) {
  test(`输入原样保存并显示 #${i + 1}`, async ({ page, browser }, info) => {
    const js = info.project.name === 'js';
    const name = `${text} ${info.project.name}`;
    await login(page, 'sjz_am1');
    await page.goto('/customers/new');
    await page.getByLabel('客户名称').fill(name);
    await page.getByLabel('行业').selectOption({ label: '政务' });
    await page.getByLabel('客户级别').selectOption({ label: '重要客户' });
    await page.getByLabel('备注').fill(text);
    await page.getByRole('button', { name: '提交' }).click();
    await expect(page.getByRole('heading', { name, exact: true })).toBeVisible();
    await expect(page.getByText(text, { exact: true }).first()).toBeVisible();
    await nothingInjected(page, js);
    const customerUrl = page.url();

    await page.goto(`${customerUrl}/edit`);
    await expect(page.getByLabel('客户名称')).toHaveValue(name);
    await expect(page.locator('textarea[name="notes"]')).toHaveValue(text);
    await nothingInjected(page, js);

    await page.goto('/customers');
    await expect(page.getByRole('link', { name, exact: true })).toBeVisible();
    await nothingInjected(page, js);

    // As an opportunity's name, on the approver's task page.
    const opportunity = `商机${name}`;
    await fileOpportunity(page, opportunity, name, '石家庄副总1');
    await nothingInjected(page, js);
    const deputy = await as(browser, 'sjz_vp1', js);
    await openTask(deputy, opportunity);
    await expect(deputy.getByLabel('商机名称')).toHaveValue(opportunity);
    await nothingInjected(deputy, js);
  });
}

test('超长的客户名称在字段旁被拒绝，输入保留', async ({ page }, info) => {
  const js = info.project.name === 'js';
  await login(page, 'sjz_am1');
  const longest = `${info.project.name}长`.padEnd(100, '名');
  const tooLong = `${longest}超`;
  await page.goto('/customers/new');
  await page.getByLabel('客户名称').fill(tooLong);
  await page.getByLabel('行业').selectOption({ label: '政务' });
  await page.getByLabel('客户级别').selectOption({ label: '重要客户' });
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page.getByText('内容超出长度限制')).toBeVisible();
  await expect(page.getByLabel('客户名称')).toHaveValue(tooLong);
  if (js) await hydrated(page);
  await page.getByLabel('客户名称').fill(longest);
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page.getByRole('heading', { name: longest, exact: true })).toBeVisible();
});
