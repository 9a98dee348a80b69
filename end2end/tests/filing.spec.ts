import { test, expect, Page, Browser } from '@playwright/test';
import { addCustomer, as, fileOpportunity, hydrated, login, openTask } from './helpers';

// 报备 as the manual tells it: 石家庄客户经理1 files, 石家庄副总1 forwards to 石家庄领导, who
// approves; returned stories; the approver's 待办 arriving live.

/** Opens the task of `name` from 待办任务. */
async function decide(page: Page, result: RegExp, opinion = '') {
  if (opinion) await page.getByLabel('审批意见').fill(opinion);
  await page.getByRole('radio', { name: result }).check();
  await page.getByRole('button', { name: '提交' }).click();
}

test('报备：客户经理提交，副总报总经理，总经理审批结束', async ({ page, browser }, info) => {
  const js = info.project.name === 'js';
  const customer = `报备客户-${info.project.name}`;
  const name = `测试商机A-${info.project.name}`;
  await login(page, 'sjz_am1');
  await addCustomer(page, customer);
  await fileOpportunity(page, name, customer, '石家庄副总1');
  await expect(page.getByText('待审批').first()).toBeVisible();
  const opportunityUrl = page.url().replace(/\?.*$/, '');

  const deputy = await as(browser, 'sjz_vp1', js);
  await openTask(deputy, name);
  const taskUrl = deputy.url();
  await expect(deputy.getByText('将提交给下一位审批人员：石家庄领导')).toBeVisible();
  if (js) {
    await hydrated(deputy);
    deputy.once('dialog', async (dialog) => {
      expect(dialog.message()).toContain('石家庄领导');
      await dialog.accept();
    });
  }
  await decide(deputy, /报总经理继续审批/, '同意');
  await expect(deputy.getByText('下一位审批人员：石家庄领导').first()).toBeVisible();

  // Another city's deputy cannot open the task.
  const outsider = await as(browser, 'bd_vp1', js);
  const refused = await outsider.goto(taskUrl);
  expect(refused?.status()).toBe(403);

  const gm = await as(browser, 'sjz_gm', js);
  await openTask(gm, name);
  await expect(gm.getByRole('radio', { name: /报总经理继续审批/ })).toHaveCount(0);
  await decide(gm, /通过，审批结束/);
  await expect(gm.getByText('该任务已处理')).toBeVisible();

  await page.goto(opportunityUrl);
  await expect(page.getByText('已报备').first()).toBeVisible();
  await expect(page.locator('table.records tbody tr')).toHaveCount(3);
  await page.goto('/tasks?tab=messages');
  await expect(page.getByRole('button', { name })).toBeVisible();
  await expect(page.getByText('未读').first()).toBeVisible();
  // Opening it (a post: it marks the message read) leads to the opportunity.
  await page.getByRole('button', { name }).first().click();
  await expect(page).toHaveURL(opportunityUrl);
  await page.goto('/tasks?tab=messages');
  await expect(page.locator('tr', { has: page.getByRole('button', { name }) }).getByText('未读')).toHaveCount(0);
});

test('退回后修改重新提交并审批通过；再一次退回后作废', async ({ page, browser }, info) => {
  const js = info.project.name === 'js';
  const customer = `退回客户-${info.project.name}`;
  const name = `退回商机-${info.project.name}`;
  await login(page, 'sjz_am1');
  await addCustomer(page, customer);
  await fileOpportunity(page, name, customer, '石家庄副总1');

  const deputy = await as(browser, 'sjz_vp1', js);
  await openTask(deputy, name);
  await decide(deputy, /^退回$/, '请补充预计签约日期');
  await expect(deputy.getByText('该任务已处理')).toBeVisible();

  await openTask(page, name);
  await page.getByLabel('预计签约日期').fill('2026-12-31');
  await page.getByLabel('选择审批人').selectOption({ label: '石家庄领导' });
  await page.getByRole('button', { name: '重新提交' }).click();
  await expect(page.getByText('该任务已处理')).toBeVisible();

  const gm = await as(browser, 'sjz_gm', js);
  await openTask(gm, name);
  await decide(gm, /通过，审批结束/);
  await page.goto('/opportunities');
  await page.getByRole('link', { name }).click();
  await expect(page.getByText('已报备').first()).toBeVisible();
  await expect(page.getByText('2026-12-31').first()).toBeVisible();

  const voided = `作废商机-${info.project.name}`;
  await fileOpportunity(page, voided, customer, '石家庄副总1');
  await openTask(deputy, voided);
  await decide(deputy, /^退回$/, '不具备条件');
  await openTask(page, voided);
  await page.getByText('作废', { exact: true }).click();
  await page.getByRole('button', { name: '确定' }).click();
  await expect(page.getByText('已作废').first()).toBeVisible();
});

test('审批人的待办任务实时出现，无需刷新', async ({ page, browser }, info) => {
  test.skip(info.project.name === 'nojs', 'live updates need JavaScript');
  const customer = `实时客户-${info.project.name}`;
  const name = `实时商机-${info.project.name}`;
  await login(page, 'sjz_am1');
  await addCustomer(page, customer);

  const deputy = await as(browser, 'sjz_vp1', true);
  await deputy.goto('/tasks?tab=todo');
  await hydrated(deputy);
  await deputy.evaluate(() => ((window as any).__marker = 'still here'));
  await expect(deputy.getByRole('link', { name })).toHaveCount(0);

  await fileOpportunity(page, name, customer, '石家庄副总1');
  await expect(deputy.getByRole('link', { name })).toBeVisible({ timeout: 5000 });
  await expect(deputy.locator('[data-badge="todo"]')).toBeVisible();
  expect(await deputy.evaluate(() => (window as any).__marker)).toBe('still here');
});
