import { test, expect } from '@playwright/test';
import { addCustomer, login } from './helpers';

// 销售活动 编辑 and 删除 (#17): the creator changes a planned visit on the customer page, then
// deletes it (with JavaScript the browser asks first). The customer is deleted afterwards.

test('计划中的活动可编辑、可删除', async ({ page }, info) => {
  const customer = `活动编辑客户-${info.project.name}`;
  await login(page, 'sjz_am1');
  await addCustomer(page, customer);
  const customerUrl = page.url();
  await page.getByRole('link', { name: '添加活动' }).click();
  await page.getByLabel('类型').selectOption({ label: '拜访' });
  await page.getByLabel('备注').fill('初次拜访信息中心');
  await page.getByRole('button', { name: '保存' }).click();
  const activities = page.locator('#activities');
  await expect(activities).toContainText('初次拜访信息中心');

  await activities.getByRole('link', { name: '编辑' }).click();
  await expect(page.getByRole('heading', { name: /编辑活动/ })).toBeVisible();
  await expect(page.getByLabel('备注')).toHaveValue('初次拜访信息中心');
  await page.getByLabel('类型').selectOption({ label: '电话' });
  await page.getByLabel('备注').fill('改为电话沟通');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(activities).toContainText('改为电话沟通');
  await expect(activities).not.toContainText('初次拜访信息中心');

  page.once('dialog', (dialog) => dialog.accept());
  await activities.getByRole('button', { name: '删除' }).click();
  await expect(activities).toContainText('暂无');
  await expect(activities).not.toContainText('改为电话沟通');

  await page.goto(customerUrl);
  await page.getByRole('link', { name: '删除', exact: true }).click();
  await page.getByRole('button', { name: '确定' }).click();
  await expect(page).toHaveURL(/\/customers$/);
});
