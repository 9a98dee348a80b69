import { test, expect } from '@playwright/test';
import { as, chinaToday, decideTask, fileAndApprove, login } from './helpers';

// From the first visit to the last payment (#17): a planned 拜访 for today joins 待办 and the
// customer page and on 销售活动 (queried by 类型), and is marked done from 待办; a quote with two lines shows its total and gets a
// second version; a signed order gets a 回款 milestone planned in the past, listed as overdue.

test('今天计划的拜访出现在待办和客户页面，在待办中完成', async ({ page, browser }, info) => {
  const js = info.project.name === 'js';
  const name = `拜访商机-${info.project.name}`;
  const customer = `拜访客户-${info.project.name}`;
  const notes = `今天拜访信息中心-${info.project.name}`;
  await login(page, 'sjz_am1');
  const url = await fileAndApprove(page, browser, js, name, customer);

  await page.goto(url);
  await page.getByRole('link', { name: '添加活动' }).click();
  await page.getByLabel('类型').selectOption({ label: '拜访' });
  await page.getByLabel('日期').fill(chinaToday());
  await page.getByLabel('备注').fill(notes);
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.locator('#activities')).toContainText(notes);

  await page.goto('/');
  await page.locator('#widget-tasks').getByRole('link', { name: '待办任务' }).click();
  await expect(page.locator('#widget-tasks .due-activities')).toContainText(notes);

  await page.goto(`/customers?kind=potential&name=${encodeURIComponent(customer)}`);
  await page.getByRole('link', { name: customer, exact: true }).click();
  await expect(page.locator('#activities')).toContainText(notes);
  await expect(page.locator('#activities')).toContainText('计划中');

  // 销售活动 from the menu, queried by 类型 and 完成状态.
  await page.getByRole('navigation').getByRole('link', { name: '销售活动' }).click();
  await page.locator('#q-kind').selectOption({ label: '拜访' });
  await page.locator('#q-status').selectOption({ label: '计划中' });
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page).toHaveURL(/kind=visit/);
  await expect(page.locator('table.activities')).toContainText(notes);
  await page.locator('#q-kind').selectOption({ label: '电话' });
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page).toHaveURL(/kind=call/);
  await expect(page.locator('main')).not.toContainText(notes);

  await page.goto('/tasks?tab=todo');
  const row = page.locator('.due-activities tr').filter({ hasText: notes });
  await row.getByRole('button', { name: '完成' }).click();
  await expect(page).toHaveURL(/\/tasks\?tab=todo$/);
  await expect(page.locator('main')).not.toContainText(notes);

  await page.goto(url);
  const done = page.locator('#activities tr').filter({ hasText: notes });
  await expect(done).toContainText('已完成');
});

test('两行报价显示合计，再做第二版', async ({ page, browser }, info) => {
  const js = info.project.name === 'js';
  const name = `报价商机-${info.project.name}`;
  await login(page, 'sjz_am1');
  const url = await fileAndApprove(page, browser, js, name, `报价客户-${info.project.name}`);

  await page.goto(url);
  await page.locator('#quotes').getByRole('button', { name: '新建报价' }).click();
  await expect(page.getByRole('heading', { name: /报价 · 版本 1/ })).toBeVisible();
  await page.getByLabel('产品或服务 1').fill('互联网专线 100M');
  await page.getByLabel('数量 1').fill('2');
  await page.getByLabel('单价（元） 1').fill('1200.50');
  await page.getByLabel('产品或服务 2').fill('安装调试');
  await page.getByLabel('数量 2').fill('1');
  await page.getByLabel('单价（元） 2').fill('300');
  await page.getByLabel('折扣 % 2').fill('33.3');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('报价已保存')).toBeVisible();
  // 2 × 1,200.50 + 300 × 66.7 % = 2,401.00 + 200.10.
  await expect(page.locator('dd.quote-total')).toHaveText('2,601.10');

  await page.getByRole('button', { name: '新版本' }).click();
  await expect(page.getByRole('heading', { name: /报价 · 版本 2/ })).toBeVisible();
  await expect(page.getByLabel('产品或服务 2')).toHaveValue('安装调试');
  await expect(page.locator('dd.quote-total')).toHaveText('2,601.10');

  await page.goto(url);
  await expect(page.locator('#quotes')).toContainText('版本 2');
  await expect(page.locator('#quotes')).toContainText('版本 1');
});

test('签约后添加过去日期的回款里程碑，列为逾期', async ({ page, browser }, info) => {
  const js = info.project.name === 'js';
  const name = `回款商机-${info.project.name}`;
  await login(page, 'sjz_am1');
  const url = await fileAndApprove(page, browser, js, name, `回款客户-${info.project.name}`);

  await page.goto(url);
  await page.getByLabel('阶段处理').selectOption({ label: '签约' });
  await page.getByRole('button', { name: '提交' }).click();
  await page.getByLabel('合同编号').fill(`HT-回款-${info.project.name}`);
  await page.getByLabel('签约金额（元）').fill('90000');
  await page.getByLabel('签约日期').fill(chinaToday());
  await page.getByLabel('选择审批人').selectOption({ label: '政务行业总监' });
  await page.getByRole('button', { name: '提交审批' }).click();
  const director = await as(browser, 'ind_gov', js);
  await decideTask(director, name, /通过，审批结束/, '同意');

  await page.goto(url);
  const order = page.locator('#order');
  await expect(order).toContainText('开通');
  await expect(order).toContainText('验收');
  await order.getByRole('link', { name: '添加里程碑' }).click();
  await page.getByLabel('类型').selectOption({ label: '回款' });
  await page.getByLabel('计划日期').fill('2026-01-15');
  await page.getByLabel('回款金额（元）').fill('30000');
  await page.getByRole('button', { name: '保存' }).click();
  const row = page.locator('#order tr').filter({ hasText: '2026-01-15' });
  await expect(row).toContainText('已逾期');
  await expect(row).toContainText('30,000.00');

  await page.goto('/milestones');
  await expect(page.locator('main tr').filter({ hasText: name })).toContainText('2026-01-15');
  await page.goto('/');
  await expect(page.locator('.overdue-milestones .count')).not.toHaveText('0');
});
