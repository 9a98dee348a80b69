import { test, expect } from '@playwright/test';
import { as, chinaToday, decideTask, downloaded, fileAndApprove, hydrated, login } from './helpers';

// The rest of an opportunity's life: 阶段处理 to 商务谈判, 签约 approved by 政务行业总监 (the
// customer becomes a 交易客户, 交易概览 shows the amount), and a 终止 returned then approved.

test('阶段处理到商务谈判，签约经行业总监审批，客户成为交易客户', async ({ page, browser }, info) => {
  const js = info.project.name === 'js';
  const name = `签约商机-${info.project.name}`;
  const customer = `签约客户-${info.project.name}`;
  await login(page, 'sjz_am1');
  const url = await fileAndApprove(page, browser, js, name, customer);

  await page.goto(url);
  await page.getByLabel('阶段处理').selectOption({ label: '商务谈判' });
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page.getByText(/识别商机 → 商务谈判/)).toBeVisible();

  await page.getByLabel('阶段处理').selectOption({ label: '签约' });
  await page.getByRole('button', { name: '提交' }).click();
  await page.getByLabel('合同编号').fill('HT-E2E-001');
  await page.getByLabel('签约金额（元）').fill('456789.12');
  await page.getByLabel('签约日期').fill(chinaToday());
  await page.getByLabel('附件').setInputFiles({
    name: '签约合同.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 HT-E2E-001'),
  });
  await page.getByLabel('选择审批人').selectOption({ label: '政务行业总监' });
  await page.getByRole('button', { name: '提交审批' }).click();
  await expect(page.getByText('签约待审批').first()).toBeVisible();

  const director = await as(browser, 'ind_gov', js);
  await director.goto('/tasks?tab=todo');
  await director.getByRole('link', { name }).first().click();
  if (js) await hydrated(director);
  const file = director.getByRole('link', { name: '签约合同.pdf' });
  expect((await downloaded(director, file)).toString()).toBe('%PDF-1.4 HT-E2E-001');
  await decideTask(director, name, /通过，审批结束/, '同意');

  await page.goto(url);
  await expect(page.getByText('已签约').first()).toBeVisible();
  await expect(page.getByRole('link', { name: '签约合同.pdf' })).toBeVisible();
  await page.goto('/customers?kind=transaction');
  await page.getByRole('link', { name: customer }).click();
  await expect(page.getByText('交易客户').first()).toBeVisible();
  await expect(page.locator('#overview')).toContainText('456,789.12');
});

test('终止被退回后重新提交，审批通过后已终止', async ({ page, browser }, info) => {
  const js = info.project.name === 'js';
  const name = `终止商机-${info.project.name}`;
  await login(page, 'sjz_am1');
  const url = await fileAndApprove(page, browser, js, name, `终止客户-${info.project.name}`);

  await page.goto(url);
  await page.getByLabel('阶段处理').selectOption({ label: '终止' });
  await page.getByRole('button', { name: '提交' }).click();
  await page.getByLabel('终止原因类别').selectOption({ label: '输给竞争对手' });
  await page.getByLabel('输给哪个竞争对手').selectOption({ label: '中国电信' });
  await page.getByLabel('终止说明').fill('对方价格更低');
  await page.getByLabel('选择审批人').selectOption({ label: '石家庄副总1' });
  await page.getByRole('button', { name: '提交审批' }).click();
  await expect(page.getByText('终止待审批').first()).toBeVisible();

  const deputy = await as(browser, 'sjz_vp1', js);
  await decideTask(deputy, name, /^退回$/, '请补充价格对比');

  await page.goto('/tasks?tab=todo');
  await page.getByRole('link', { name }).first().click();
  await page.getByLabel('终止说明').fill('对方价格低百分之二十');
  await page.getByLabel('选择审批人').selectOption({ label: '石家庄副总1' });
  await page.getByRole('button', { name: '重新提交' }).click();
  await expect(page.getByText('该任务已处理')).toBeVisible();

  await decideTask(deputy, name, /通过，审批结束/);
  await page.goto(url);
  await expect(page.getByText('已终止').first()).toBeVisible();
  await expect(page.getByText('对方价格低百分之二十')).toBeVisible();
});

test('只读共享给石家庄客户经理2：共享给我的可见，编辑入口不存在且强行访问被拒', async ({ page, browser }, info) => {
  const js = info.project.name === 'js';
  const name = `共享商机-${info.project.name}`;
  await login(page, 'sjz_am1');
  const url = await fileAndApprove(page, browser, js, name, `共享客户-${info.project.name}`);
  await page.goto(url);
  await page.getByLabel('共享给').fill('石家庄客户经理2');
  await page.getByRole('button', { name: '共享', exact: true }).click();
  await expect(page.locator('.shares')).toContainText('石家庄客户经理2');

  const guest = await as(browser, 'sjz_am2', js);
  await guest.goto('/opportunities?tab=shared');
  await guest.getByRole('link', { name }).click();
  await expect(guest.getByRole('heading', { name })).toBeVisible();
  await expect(guest.getByRole('link', { name: '编辑' })).toHaveCount(0);
  await expect(guest.getByLabel('阶段处理')).toHaveCount(0);
  const forced = await guest.goto(url + '/edit');
  expect(forced?.status()).toBe(403);
});

test('协作用户添加销售活动，商机和客户页面都能看到', async ({ page, browser }, info) => {
  const js = info.project.name === 'js';
  const name = `活动商机-${info.project.name}`;
  const customer = `活动客户-${info.project.name}`;
  await login(page, 'sjz_am1');
  const url = await fileAndApprove(page, browser, js, name, customer);
  await page.goto(url);
  await page.getByLabel('共享给').fill('石家庄客户经理2');
  await page.getByRole('radio', { name: '协作' }).check();
  await page.getByRole('button', { name: '共享', exact: true }).click();

  const helper = await as(browser, 'sjz_am2', js);
  await helper.goto(url);
  await helper.getByRole('link', { name: '添加活动' }).click();
  await helper.getByLabel('类型').selectOption({ label: '陪同拜访' });
  await helper.getByRole('button', { name: '保存' }).click();
  // Refused beside the field, the choice kept.
  await expect(helper.getByText('此项为必填项')).toBeVisible();
  await expect(helper.getByLabel('类型')).toHaveValue('joint_visit');
  await helper.getByLabel('备注').fill('陪同客户经理拜访信息中心');
  await helper.getByRole('button', { name: '保存' }).click();
  await expect(helper.locator('#activities')).toContainText('陪同客户经理拜访信息中心');
  await expect(helper.locator('#activities')).toContainText('计划中');
  await helper.locator('#activities').getByRole('button', { name: '完成' }).click();
  await expect(helper.locator('#activities')).toContainText('已完成');

  await page.goto('/customers');
  await page.getByRole('link', { name: customer }).click();
  await expect(page.locator('#activities')).toContainText('陪同客户经理拜访信息中心');
  await expect(page.locator('#activities')).toContainText('石家庄客户经理2');
});
