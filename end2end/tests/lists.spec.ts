import { test, expect } from '@playwright/test';
import { hydrated, login } from './helpers';

// The customer list's column chooser and sortable heads, the 联系人 list, and the browser-side
// check of the customer form.

test('显示/隐藏列按用户保存，表头点击排序', async ({ page }, info) => {
  // The choice is saved per user: one user per project, so each starts from the defaults.
  await login(page, info.project.name === 'js' ? 'sjz_vp1' : 'sjz_gm');
  await page.goto('/customers');
  const heads = page.locator('table.list thead th:not(.select)');
  await expect(heads).toHaveText(['客户名称', '行业', '客户级别', '负责人', '登记日期', '电话']);
  await page.getByText('显示/隐藏列').click();
  await page.getByRole('checkbox', { name: '客户级别' }).uncheck();
  await page.getByRole('checkbox', { name: '传真' }).check();
  await page.getByRole('button', { name: '确定' }).click();
  await expect(heads).toHaveText(['客户名称', '行业', '负责人', '登记日期', '电话', '传真']);
  await page.reload();
  await expect(heads).toHaveText(['客户名称', '行业', '负责人', '登记日期', '电话', '传真']);

  await page.getByRole('link', { name: '客户名称' }).click();
  await expect(page).toHaveURL(/sort=name/);
  await expect(page.locator('th[aria-sort="ascending"]')).toHaveText(/客户名称/);
  await page.getByRole('link', { name: /客户名称/ }).click();
  await expect(page.locator('th[aria-sort="descending"]')).toHaveText(/客户名称/);
});

test('联系人列表：按电话查询，新建联系人先选客户', async ({ page }, info) => {
  const customer = `联系人客户-${info.project.name}`;
  await login(page, 'sjz_am2');
  await page.goto('/customers/new');
  await page.getByLabel('客户名称').fill(customer);
  await page.getByLabel('行业').selectOption({ label: '医疗' });
  await page.getByLabel('客户级别').selectOption({ label: '一般客户' });
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page.getByRole('heading', { name: customer })).toBeVisible();

  await page.goto('/contacts');
  await page.getByRole('link', { name: '新建联系人' }).click();
  await page.getByLabel('为哪个客户新建联系人？').fill(customer);
  await page.getByRole('button', { name: '查询' }).click();
  await page.getByRole('link', { name: customer }).click();
  await page.getByLabel('姓名').fill('王主任');
  await page.getByLabel('手机').fill('13912345678');
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page.getByRole('heading', { name: customer })).toBeVisible();

  await page.goto('/contacts');
  await page.getByRole('searchbox', { name: '电话' }).fill('12345678');
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByRole('row', { name: /王主任/ }).first()).toBeVisible();
});

test('浏览器端先校验：格式错误当场提示，不提交，输入保留', async ({ page }, info) => {
  test.skip(info.project.name === 'nojs', 'without JavaScript the server checks (customers.spec)');
  await login(page, 'sjz_am1');
  await page.goto('/customers/new');
  await hydrated(page);
  let posted = false;
  page.on('request', (r) => {
    if (r.method() === 'POST') posted = true;
  });
  await page.getByLabel('客户名称').fill('浏览器校验客户');
  await page.getByLabel('电话').fill('not-a-phone');
  await page.getByLabel('公司网址').fill('x y');
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page.getByText('电话号码格式不正确')).toBeVisible();
  await expect(page.getByText('网址格式不正确')).toBeVisible();
  await expect(page.getByText('此项为必填项').first()).toBeVisible();
  expect(posted).toBe(false);
  await expect(page.getByLabel('客户名称')).toHaveValue('浏览器校验客户');
  await expect(page.getByLabel('电话')).toHaveValue('not-a-phone');
});
