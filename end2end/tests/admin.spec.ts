import { test, expect } from '@playwright/test';
import { downloaded, hydrated, login } from './helpers';

// 系统管理 → 用户管理, with JavaScript on and off (see playwright.config.ts): the admin adds a
// user; the user logs in, must change the initial password, then sees their role's menu.

const INITIAL = 'Chu-Shi-Mi-Ma-2026';
const CHOSEN = 'Wo-De-Xin-Mi-Ma-88';

test('管理员添加用户，新用户首次登录须修改密码，之后看到其角色的菜单', async ({ page, browser, javaScriptEnabled }) => {
  const loginName = `ts_am_${javaScriptEnabled ? 'js' : 'nojs'}`;
  await login(page, 'admin');
  await page.goto('/admin/users');
  await page.getByRole('link', { name: '添加用户' }).click();
  if (javaScriptEnabled) await hydrated(page);
  // Refused beside the fields, with what was typed kept (not the password).
  await page.getByLabel('登录名').fill(loginName);
  await page.getByLabel('姓名').fill('唐山客户经理');
  await page.getByLabel('所属单位').selectOption({ label: '　唐山' });
  await page.getByRole('checkbox', { name: '行业总监' }).check();
  await page.getByLabel('初始密码').fill(INITIAL);
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('行业总监须选择负责的行业')).toBeVisible();
  await expect(page.getByLabel('姓名')).toHaveValue('唐山客户经理');
  await page.getByRole('checkbox', { name: '行业总监' }).uncheck();
  await page.getByRole('checkbox', { name: '客户经理' }).check();
  await page.getByLabel('初始密码').fill(INITIAL);
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('用户已添加')).toBeVisible();
  await expect(page.getByText('该用户下次登录时须修改密码')).toBeVisible();

  const context = await browser.newContext({ javaScriptEnabled });
  const newcomer = await context.newPage();
  await login(newcomer, loginName, INITIAL);
  await expect(newcomer).toHaveURL(/\/password$/);
  await expect(newcomer.getByText('请先修改密码再继续使用系统')).toBeVisible();
  await newcomer.getByLabel('原密码').fill(INITIAL);
  await newcomer.locator('#new_password').fill(CHOSEN);
  await newcomer.getByLabel('确认新密码').fill(CHOSEN);
  await newcomer.getByRole('button', { name: '修改密码' }).click();
  await expect(newcomer.getByRole('button', { name: '退出' })).toBeVisible();
  await expect(newcomer.locator('.user-name')).toHaveText('唐山客户经理');
  const menu = newcomer.getByRole('navigation');
  await expect(menu.getByRole('link', { name: '个人资料' })).toBeVisible();
  await expect(menu.getByRole('link', { name: '系统管理' })).toHaveCount(0);
  await context.close();
});

test('组织管理添加部门（重名被拒、保留所填），审计日志查到这次新建并可导出', async ({ page, javaScriptEnabled }) => {
  const name = `唐山政企二部${javaScriptEnabled ? 'J' : 'N'}`;
  await login(page, 'admin');
  await page.goto('/admin');
  await page.getByRole('link', { name: '组织管理' }).click();
  if (javaScriptEnabled) await hydrated(page);
  const add = page.locator('form[data-form="add"]');
  await add.getByLabel('单位名称').fill(name);
  await add.getByLabel('上级单位').selectOption({ label: '　唐山' });
  await add.getByRole('button', { name: '添加单位' }).click();
  await expect(page.getByText('组织已保存')).toBeVisible();
  await expect(page.locator(`form[data-unit="${name}"]`)).toBeVisible();
  await page.locator('form[data-form="add"]').getByLabel('单位名称').fill(name);
  await page.locator('form[data-form="add"]').getByLabel('上级单位').selectOption({ label: '　唐山' });
  await page.locator('form[data-form="add"]').getByRole('button', { name: '添加单位' }).click();
  await expect(page.getByText('同一上级单位下已有同名单位')).toBeVisible();
  await expect(page.locator('form[data-form="add"]').getByLabel('单位名称')).toHaveValue(name);

  await page.goto('/admin');
  await page.getByRole('link', { name: '审计日志' }).click();
  await page.getByLabel('对象', { exact: true }).selectOption({ label: '组织' });
  await page.getByLabel('操作').selectOption({ label: '新建' });
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.locator('table.audit-log')).toContainText(name);
  await expect(page.locator('table.audit-log')).toContainText('系统管理员（admin）');
  const xlsx = await downloaded(page, page.getByRole('link', { name: '导出' }));
  expect(xlsx.subarray(0, 2).toString()).toBe('PK');
});
