import { test, expect } from '@playwright/test';
import { addCustomer, decideTask, fileOpportunity, hydrated, instanceA, instanceB, login } from './helpers';

// Two instances of the server on one PostgreSQL database (as behind a load balancer): a
// decision taken on A reaches the filer's page open on B, without a reload.
test('两个实例：A 上审批，B 上的商机页面实时更新', async ({ browser }, info) => {
  test.skip(info.project.name === 'nojs', 'live updates need JavaScript');
  const customer = '两实例浏览器客户';
  const name = '两实例浏览器商机';
  const filer = await (await browser.newContext({ baseURL: instanceB })).newPage();
  await login(filer, 'sjz_am1');
  await addCustomer(filer, customer);
  await fileOpportunity(filer, name, customer, '石家庄副总1');
  await expect(filer.getByText('待审批').first()).toBeVisible();
  await hydrated(filer);
  await filer.evaluate(() => ((window as any).__marker = 'still here'));

  const deputy = await (await browser.newContext({ baseURL: instanceA })).newPage();
  await login(deputy, 'sjz_vp1');
  await decideTask(deputy, name, /通过，审批结束/);

  await expect(filer.getByText('已报备').first()).toBeVisible({ timeout: 5000 });
  await expect(filer.locator('table.records tbody tr')).toHaveCount(2);
  expect(await filer.evaluate(() => (window as any).__marker)).toBe('still here');
});
