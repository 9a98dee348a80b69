import { test, expect } from '@playwright/test';
import { addCustomer, as, downloaded, login } from './helpers';

// 添加客户 as the manual shows it; with JavaScript on and off (the form posts either way).

test('客户经理添加客户后进入客户页面，重复名称提示「客户名称已存在」并保留输入', async ({ page }, info) => {
  const name = `石家庄测试客户-${info.project.name}`;
  await login(page, 'sjz_am1');
  await page.getByRole('navigation').getByRole('link', { name: '客户', exact: true }).click();
  await page.getByRole('link', { name: '添加客户' }).click();
  await expect(page.getByRole('heading', { name: '添加客户' })).toBeVisible();
  await page.getByLabel('客户名称').fill(name);
  await page.getByLabel('行业').selectOption({ label: '政务' });
  await page.getByLabel('客户级别').selectOption({ label: '重要客户' });
  await page.getByLabel('电话').fill('0311-86001234');
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page).toHaveURL(/\/customers\/\d+$/);
  await expect(page.getByRole('heading', { name })).toBeVisible();
  await expect(page.getByText('0311-86001234')).toBeVisible();
  const customerUrl = page.url();

  // 客户管理 → 查询 by part of the name finds it.
  await page.getByRole('navigation').getByRole('link', { name: '客户', exact: true }).click();
  await page.getByLabel('客户名称').fill('测试客户');
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page).toHaveURL(/name=/);
  await expect(page.getByRole('link', { name })).toBeVisible();

  // 快速查找 by a part of the phone.
  await page.getByLabel('快速查找').fill('86001234');
  await page.getByRole('button', { name: '查找' }).click();
  await expect(page).toHaveURL(/\/customers\/find\?q=/);
  await expect(page.getByRole('link', { name })).toBeVisible();

  // 编辑 its phone.
  await page.getByRole('link', { name }).click();
  await page.getByRole('link', { name: '编辑' }).click();
  await expect(page.getByRole('heading', { name: '客户信息编辑' })).toBeVisible();
  await page.getByLabel('电话').fill('0311-86009999');
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page).toHaveURL(/\/customers\/\d+$/);
  await expect(page.getByText('0311-86009999')).toBeVisible();

  await page.goto('/customers/new');
  await page.getByLabel('客户名称').fill(name);
  await page.getByLabel('行业').selectOption({ label: '政务' });
  await page.getByLabel('客户级别').selectOption({ label: '一般客户' });
  await page.getByLabel('地址').fill('石家庄市桥西区');
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page.getByText('客户名称已存在')).toBeVisible();
  await expect(page.getByLabel('客户名称')).toHaveValue(name);
  await expect(page.getByLabel('地址')).toHaveValue('石家庄市桥西区');
  await expect(page.getByLabel('客户级别')).toHaveValue(/\d+/);

  // Another city's account manager cannot open it by its address.
  await page.getByRole('button', { name: '退出' }).click();
  await login(page, 'bd_am1');
  const response = await page.goto(customerUrl);
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('heading', { name: '无权访问' })).toBeVisible();
  await expect(page.getByText(name)).toHaveCount(0);
});

test('删除客户先确认：取消保留，确定删除', async ({ page }, info) => {
  const name = `待删除客户-${info.project.name}`;
  await login(page, 'sjz_am1');
  await page.goto('/customers/new');
  await page.getByLabel('客户名称').fill(name);
  await page.getByLabel('行业').selectOption({ label: '教育' });
  await page.getByLabel('客户级别').selectOption({ label: '一般客户' });
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page.getByRole('heading', { name })).toBeVisible();

  await page.getByRole('link', { name: '删除' }).click();
  await expect(page.getByRole('heading', { name: '确定删除该客户吗？' })).toBeVisible();
  await page.getByRole('link', { name: '取消' }).click();
  await expect(page.getByRole('heading', { name })).toBeVisible();

  await page.getByRole('link', { name: '删除' }).click();
  await page.getByRole('button', { name: '确定' }).click();
  await expect(page).toHaveURL(/\/customers$/);
  await expect(page.getByRole('link', { name })).toHaveCount(0);
});

test('共享给：输入姓名查找，多人匹配时在列表中选择一位；负责人按输入查询', async ({ page, browser }, info) => {
  const name = `按名共享单位-${info.project.name}`;
  await login(page, 'sjz_am1');
  await addCustomer(page, name);
  const url = page.url();

  // Several match: the page says so beside the field, keeps the text, and offers them.
  await page.getByLabel('共享给').fill('客户经理');
  await page.getByRole('radio', { name: '可编辑' }).check();
  await page.getByRole('button', { name: '共享', exact: true }).click();
  await expect(page.getByText('找到多位，请在下面选择一位')).toBeVisible();
  await expect(page.getByLabel('共享给')).toHaveValue('客户经理');
  await expect(page.getByRole('radio', { name: '可编辑' })).toBeChecked();
  await page.getByRole('radio', { name: /^保定客户经理1 · / }).check();
  await page.getByRole('button', { name: '共享', exact: true }).click();
  await expect(page).toHaveURL(url);
  await expect(page.locator('.shares')).toContainText('保定客户经理1');
  await expect(page.locator('.shares')).toContainText('可编辑');

  // 石家庄副总1 filters 客户管理 by a typed 负责人.
  const deputy = await as(browser, 'sjz_vp1', info.project.name === 'js');
  await deputy.goto('/customers');
  await deputy.getByRole('searchbox', { name: '负责人' }).fill('sjz_am1');
  await deputy.getByRole('button', { name: '查询' }).click();
  await expect(deputy.getByRole('searchbox', { name: '负责人' })).toHaveValue('石家庄客户经理1');
  await expect(deputy.getByRole('link', { name })).toBeVisible();
  await deputy.getByRole('searchbox', { name: '负责人' }).fill('石家庄客户经理2');
  await deputy.getByRole('button', { name: '查询' }).click();
  await expect(deputy.getByRole('searchbox', { name: '负责人' })).toHaveValue('石家庄客户经理2');
  await expect(deputy.getByRole('link', { name })).toHaveCount(0);

  // …and adds a customer for an account manager, typing the 负责人: several match, one is
  // chosen, nothing else typed is lost.
  const assigned = `副总分配单位-${info.project.name}`;
  await deputy.goto('/customers/new');
  await expect(deputy.getByRole('searchbox', { name: '负责人' })).toHaveValue('石家庄副总1');
  await deputy.getByLabel('客户名称').fill(assigned);
  await deputy.getByLabel('行业').selectOption({ label: '政务' });
  await deputy.getByLabel('客户级别').selectOption({ label: '重要客户' });
  await deputy.getByRole('searchbox', { name: '负责人' }).fill('客户经理');
  await deputy.getByRole('button', { name: '提交' }).click();
  await expect(deputy.getByText('找到多位，请在下面选择一位')).toBeVisible();
  await expect(deputy.getByLabel('客户名称')).toHaveValue(assigned);
  await deputy.getByRole('radio', { name: /^石家庄客户经理2 · / }).check();
  await deputy.getByRole('button', { name: '提交' }).click();
  await expect(deputy).toHaveURL(/\/customers\/\d+$/);
  await expect(deputy.locator('.info-row', { hasText: '负责人' })).toContainText('石家庄客户经理2');
});

test('客户附件：一次上传两个文件，不支持的类型在字段旁提示，下载与删除', async ({ page }, info) => {
  const customer = `附件客户-${info.project.name}`;
  await login(page, 'sjz_am1');
  await addCustomer(page, customer);
  const panel = page.locator('#files');
  await panel.getByLabel('选择文件').setInputFiles([
    { name: '方案.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 方案') },
    { name: '报价.xlsx', mimeType: 'application/octet-stream', buffer: Buffer.from('PK 报价') },
  ]);
  await panel.getByRole('button', { name: '上传' }).click();
  await expect(page.getByText('已上传文件数： 2')).toBeVisible();
  await expect(page.locator('#files').getByRole('link', { name: '方案.pdf' })).toBeVisible();
  const bytes = await downloaded(page, page.locator('#files').getByRole('link', { name: '方案.pdf' }));
  expect(bytes.toString()).toBe('%PDF-1.4 方案');

  await page.locator('#files').getByLabel('选择文件').setInputFiles({ name: 'setup.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ') });
  await page.locator('#files').getByRole('button', { name: '上传' }).click();
  await expect(page.getByText('不支持此类文件')).toBeVisible();

  const row = page.locator('#files tr').filter({ hasText: '报价.xlsx' });
  await row.getByRole('button', { name: '删除' }).click();
  await expect(page.locator('#files').getByRole('link', { name: '报价.xlsx' })).toHaveCount(0);
  await expect(page.locator('#files').getByRole('link', { name: '方案.pdf' })).toBeVisible();
});

test('导出：客户管理按当前查询导出 CSV（带 BOM）和 Excel', async ({ page }, info) => {
  const prefix = `导出浏览器-${info.project.name}`;
  await login(page, 'sjz_am1');
  await addCustomer(page, `${prefix}甲`);
  await addCustomer(page, `${prefix}乙`);
  await page.goto(`/customers?name=${encodeURIComponent(prefix)}`);
  const csv = await downloaded(page, page.getByRole('link', { name: '导出 CSV' }));
  expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = csv.toString('utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
  expect(lines[0].startsWith('客户名称,')).toBe(true);
  expect(lines.slice(1).map((l) => l.split(',')[0]).sort()).toEqual([`${prefix}乙`, `${prefix}甲`].sort());
  const xlsx = await downloaded(page, page.getByRole('link', { name: '导出 Excel' }));
  expect(xlsx.subarray(0, 2).toString()).toBe('PK');
});

test('合并：选择另一客户合并，回到保留的客户，旧地址转到保留的客户', async ({ page }, info) => {
  const a = `合并浏览器甲-${info.project.name}`;
  const b = `合并浏览器乙-${info.project.name}`;
  await login(page, 'sjz_am1');
  await addCustomer(page, b);
  const oldAddress = new URL(page.url()).pathname;
  await addCustomer(page, a);
  const survivor = new URL(page.url()).pathname;
  await page.getByRole('link', { name: '合并', exact: true }).click();
  await page.getByLabel('查找要合并的客户').fill(b);
  await page.getByRole('button', { name: '查询' }).click();
  await page.getByRole('link', { name: b }).click();
  await expect(page.getByRole('heading', { name: '合并客户' })).toBeVisible();
  await page.getByRole('button', { name: '合并', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`${survivor}\\?merged=1$`));
  await expect(page.getByRole('heading', { name: a })).toBeVisible();
  await page.goto(oldAddress);
  await expect(page).toHaveURL(new RegExp(`${survivor}$`));
});

test('联系人关系图：添加两位联系人，记录「上级」关系，关系图画出箭头和名称', async ({ page }, info) => {
  const customer = `关系图浏览器-${info.project.name}`;
  await login(page, 'sjz_am1');
  await addCustomer(page, customer);
  const url = page.url();
  for (const name of ['王总', '李经理']) {
    await page.goto(`${url}/contacts/new`);
    await page.getByLabel('姓名').fill(name);
    await page.getByRole('button', { name: '提交' }).click();
    await expect(page.getByRole('heading', { name: customer })).toBeVisible();
  }
  const panel = page.locator('#relations');
  await panel.getByLabel('联系人', { exact: true }).selectOption({ label: '王总' });
  await panel.getByLabel('是…的').selectOption({ label: '上级' });
  await panel.getByLabel('对象').selectOption({ label: '李经理' });
  await panel.getByRole('button', { name: '添加关系' }).click();
  const graph = page.locator('#relations svg.contact-graph');
  await expect(graph.locator('line')).toHaveCount(1);
  await expect(graph).toContainText('上级');
  await expect(page.locator('#relations li')).toContainText('王总 → 李经理');
});
