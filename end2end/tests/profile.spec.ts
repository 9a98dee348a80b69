import { test, expect } from '@playwright/test';
import { hydrated, login, DEMO_PASSWORD } from './helpers';

// 个人资料, with JavaScript on and off (see playwright.config.ts): details, and 修改密码 with its
// refusals beside the fields. The password is set back at the end, for the next project's run.

const NEW_PASSWORD = 'Ke-Hu-Jing-Li-2026';

async function changePassword(page, oldPassword: string, newPassword: string, again = newPassword) {
  await page.getByLabel('原密码').fill(oldPassword);
  await page.locator('#new_password').fill(newPassword);
  await page.getByLabel('确认新密码').fill(again);
  await page.getByRole('button', { name: '修改密码' }).click();
}

test('个人资料：修改手机，密码太短或太常见时在字段旁提示，修改后用新密码登录', async ({ page, javaScriptEnabled }) => {
  await login(page, 'prov_am1');
  await page.getByRole('navigation').getByRole('link', { name: '个人资料' }).click();
  await expect(page.getByRole('heading', { name: '个人资料' })).toBeVisible();
  if (javaScriptEnabled) await hydrated(page);
  await expect(page.getByLabel('姓名')).toHaveValue('省客户经理1');
  await page.getByLabel('手机').fill('138-0000-0001x');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.locator('.field-error')).toHaveCount(1);
  await expect(page.getByLabel('手机')).toHaveValue('138-0000-0001x');
  await page.getByLabel('手机').fill('138-0000-0001');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('个人资料已保存')).toBeVisible();
  await expect(page.getByLabel('手机')).toHaveValue('138-0000-0001');

  if (javaScriptEnabled) await hydrated(page);
  await changePassword(page, DEMO_PASSWORD, 'short1');
  await expect(page.getByText('密码至少需要10个字符')).toBeVisible();
  await changePassword(page, DEMO_PASSWORD, 'qwertyuiop');
  await expect(page.getByText('该密码过于常见，请换一个')).toBeVisible();
  await expect(page.locator('#new_password')).toHaveValue('');
  await changePassword(page, DEMO_PASSWORD, NEW_PASSWORD);
  await expect(page.getByText('密码已修改，其他会话已退出')).toBeVisible();
  await expect(page.getByText('当前会话')).toBeVisible();

  await page.getByRole('button', { name: '退出' }).click();
  await login(page, 'prov_am1', NEW_PASSWORD);
  await expect(page.getByRole('button', { name: '退出' })).toBeVisible();
  // Back to the demo password, for the other project's run.
  await page.goto('/profile');
  if (javaScriptEnabled) await hydrated(page);
  await changePassword(page, NEW_PASSWORD, DEMO_PASSWORD);
  await expect(page.getByText('密码已修改，其他会话已退出')).toBeVisible();
});
