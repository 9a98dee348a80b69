import { test, expect } from '@playwright/test';
import { addCustomer, as, login } from './helpers';

// Batch actions on 客户管理 (#16): a city's deputy ticks two customers and assigns them to
// another account manager; the job page says how it went; the new owner then deletes them in a
// batch (so the demo data is as it was). With JavaScript on and off: the form posts either way.

test('地市副总批量分配两个客户，新负责人再批量删除', async ({ page, browser }, info) => {
  const js = info.project.name === 'js';
  const names = [`批量分配甲-${info.project.name}`, `批量分配乙-${info.project.name}`];
  const owner = await as(browser, 'sjz_am1', js);
  for (const name of names) await addCustomer(owner, name);
  await owner.context().close();

  await login(page, 'sjz_vp1');
  await page.goto('/customers');
  await page.getByLabel('客户名称').fill(`批量分配`);
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page).toHaveURL(/name=/);
  for (const name of names) await page.getByRole('checkbox', { name }).check();
  await page.getByLabel('操作', { exact: true }).selectOption({ label: '分配' });
  await page.getByLabel('分配给 / 共享给').fill('sjz_am2');
  await page.getByRole('button', { name: '执行' }).click();
  await expect(page).toHaveURL(/\/jobs\/\d+$/);
  await expect(page.getByRole('heading', { name: /批量分配客户：石家庄客户经理2/ })).toBeVisible();
  await expect(page.getByText('已完成')).toBeVisible();
  await expect(page.locator('#job-succeeded')).toHaveText('2');
  await expect(page.locator('#job-failed')).toHaveText('0');

  const am2 = await as(browser, 'sjz_am2', js);
  await am2.goto('/customers?name=批量分配');
  for (const name of names) await expect(am2.getByRole('link', { name })).toBeVisible();
  for (const name of names) await am2.getByRole('checkbox', { name }).check();
  await am2.getByLabel('操作', { exact: true }).selectOption({ label: '删除' });
  // With JavaScript the browser asks first.
  am2.once('dialog', (dialog) => dialog.accept());
  await am2.getByRole('button', { name: '执行' }).click();
  await expect(am2.getByText('已完成')).toBeVisible();
  await expect(am2.locator('#job-succeeded')).toHaveText('2');
  await am2.goto(`/customers?name=${encodeURIComponent(`-${info.project.name}`)}`);
  for (const name of names) await expect(am2.getByRole('link', { name })).toHaveCount(0);
  await am2.context().close();
});
