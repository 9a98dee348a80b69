import { test, expect } from '@playwright/test';
import { addCustomer, login } from './helpers';

// 邮件 / 短信 (#16) on the demo server, where neither an SMTP server nor an SMS gateway is
// configured: the page says so, email is refused, a text message is recorded on the customer as
// not sent. The customer is deleted again afterwards.

test('邮件/短信：未配置时页面说明，短信记录在客户下且标明未发送', async ({ page }, info) => {
  const customer = `短信客户-${info.project.name}`;
  await login(page, 'sjz_am1');
  await addCustomer(page, customer);
  const customerUrl = page.url();
  await page.goto(`${customerUrl}/contacts/new`);
  await page.getByLabel('姓名').fill('短信联系人');
  await page.getByLabel('手机').fill('13800000001');
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page.getByRole('heading', { name: customer })).toBeVisible();

  await page.getByRole('link', { name: '发邮件 / 短信' }).click();
  await expect(page.getByRole('heading', { name: '邮件 / 短信' })).toBeVisible();
  await expect(page.getByText('未配置邮件服务器')).toBeVisible();
  await expect(page.getByText('未配置短信网关')).toBeVisible();
  await page.getByRole('checkbox', { name: `${customer} · 短信联系人` }).check();
  await page.getByLabel('主题').fill('拜访');
  await page.getByLabel('内容').fill('明天上午拜访，请确认。');
  await page.getByRole('button', { name: '发送' }).click();
  // Email cannot go: said beside the field, everything typed kept.
  await expect(page.getByText('未配置邮件服务器：需由管理员设置')).toHaveCount(2);
  await expect(page.getByLabel('内容')).toHaveValue('明天上午拜访，请确认。');
  await page.getByLabel('方式').selectOption({ label: '短信' });
  await page.getByRole('button', { name: '发送' }).click();
  await expect(page.getByRole('status').filter({ hasText: '仅记录未发送 1' })).toBeVisible();

  await page.getByRole('link', { name: '返回' }).click();
  const log = page.locator('#outreach');
  await expect(log.getByText('明天上午拜访，请确认。')).toBeVisible();
  await expect(log.getByText('未发送（未配置）')).toBeVisible();

  await page.goto(customerUrl);
  await page.getByRole('link', { name: '删除', exact: true }).click();
  await page.getByRole('button', { name: '确定' }).click();
  await expect(page).toHaveURL(/\/customers$/);
});
