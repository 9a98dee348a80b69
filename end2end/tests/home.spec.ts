import { test, expect, Page } from '@playwright/test';
import { addCustomer, as, chinaToday, decideTask, downloaded, fileOpportunity, hydrated, login } from './helpers';

// 首页 (集成页面): its four widgets, rendered by the server and live once hydrated; 公告通知
// shown as text; 「更多排名」 as a chart.

/** The filed count shown for `person` in the home page's 报备数量排名 (0 when absent). */
async function filedCount(page: Page, person: string): Promise<number> {
  const row = page.locator('#ranking-filed li').filter({ hasText: person });
  if ((await row.count()) === 0) return 0;
  return Number(await row.first().locator('.value').innerText());
}

test('首页四个组件在服务器端渲染，标签页无需脚本即可切换', async ({ page }) => {
  await login(page, 'sjz_am1');
  for (const heading of ['任务', '商机', '公告通知', '商机排名']) {
    await expect(page.getByRole('heading', { name: new RegExp(`^${heading}`) }).first()).toBeVisible();
  }
  await expect(page.getByText('报备数量排名')).toBeVisible();
  await expect(page.getByText('签约金额排名')).toBeVisible();
  await page.locator('#widget-tasks').getByRole('link', { name: '待阅消息' }).click();
  await expect(page.locator('#widget-tasks').getByRole('link', { name: '待阅消息' })).toHaveClass(/active/);
  await expect(page.locator('#widget-tasks').getByRole('link', { name: '更多' })).toHaveAttribute('href', '/tasks?tab=messages');
  await page.locator('#widget-opportunities').getByRole('link', { name: '商机共享' }).click();
  await expect(page.locator('#widget-opportunities').getByRole('link', { name: '更多' })).toHaveAttribute('href', '/opportunities?tab=shared');
  // The first tab choice is kept beside the second.
  await expect(page.locator('#widget-tasks').getByRole('link', { name: '待阅消息' })).toHaveClass(/active/);
});

test('副总审批通过后，客户经理首页的排名和待阅消息实时变化', async ({ page, browser }, info) => {
  test.skip(info.project.name === 'nojs', 'live updates need JavaScript');
  const customer = `首页客户-${Date.now()}`;
  const name = `首页商机-${Date.now()}`;
  await login(page, 'sjz_am1');
  await addCustomer(page, customer);
  await fileOpportunity(page, name, customer, '石家庄副总1');

  await page.goto('/?tasks=messages');
  await hydrated(page);
  await page.evaluate(() => ((window as any).__marker = 'still here'));
  const before = await filedCount(page, '石家庄客户经理1');
  await expect(page.locator('#widget-tasks').getByRole('button', { name })).toHaveCount(0);

  const deputy = await as(browser, 'sjz_vp1', true);
  await decideTask(deputy, name, /通过，审批结束/);

  await expect(page.locator('#widget-tasks').getByRole('button', { name })).toBeVisible({ timeout: 5000 });
  await expect.poll(() => filedCount(page, '石家庄客户经理1'), { timeout: 5000 }).toBe(before + 1);
  expect(await page.evaluate(() => (window as any).__marker)).toBe('still here');
});

test('商机管理员发布公告，客户经理首页实时出现，脚本显示为文字', async ({ page, browser }, info) => {
  const js = info.project.name === 'js';
  const title = `<script>window.__pwned=1</script>公告-${info.project.name}-${Date.now()}`;
  await login(page, 'sjz_am1');
  if (js) {
    await hydrated(page);
    await page.evaluate(() => ((window as any).__marker = 'still here'));
  }

  const admin = await as(browser, 'oppadmin', js);
  await admin.locator('#widget-announcements').getByRole('link', { name: '添加' }).click();
  await admin.getByLabel('标题').fill(title);
  await admin.getByLabel('内容').fill('第一行\n第二行');
  await admin.getByRole('button', { name: '发布' }).click();
  await expect(admin.getByRole('heading', { name: title })).toBeVisible();

  if (!js) await page.reload();
  const link = page.locator('#widget-announcements').getByRole('link', { name: title });
  await expect(link).toBeVisible({ timeout: 5000 });
  if (js) expect(await page.evaluate(() => (window as any).__marker)).toBe('still here');
  await link.click();
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  await expect(page.locator('.announcement-body')).toHaveText('第一行\n第二行');
  expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
});

test('更多排名切换到按地市的签约金额，有签约的地市显示柱形', async ({ page, browser }, info) => {
  const js = info.project.name === 'js';
  const customer = `排名客户-${info.project.name}`;
  const name = `排名商机-${info.project.name}`;
  await login(page, 'sjz_am1');
  await addCustomer(page, customer);
  await fileOpportunity(page, name, customer, '石家庄副总1');
  const url = page.url().replace(/\?.*$/, '');
  const deputy = await as(browser, 'sjz_vp1', js);
  await decideTask(deputy, name, /通过，审批结束/);
  await page.goto(url + '/sign');
  await page.getByLabel('合同编号').fill('HT-RANK');
  await page.getByLabel('签约金额（元）').fill('1234.56');
  await page.getByLabel('签约日期').fill(chinaToday());
  await page.getByLabel('选择审批人').selectOption({ label: '政务行业总监' });
  await page.getByRole('button', { name: '提交审批' }).click();
  const director = await as(browser, 'ind_gov', js);
  await decideTask(director, name, /通过，审批结束/);

  await page.goto('/');
  await page.getByRole('link', { name: '更多排名' }).click();
  await page.getByLabel('维度').selectOption({ label: '地市' });
  await page.getByLabel('指标').selectOption({ label: '签约金额（元）' });
  await page.getByRole('button', { name: '查询' }).click();
  const chart = page.locator('svg.bar-chart');
  await expect(chart).toBeVisible();
  await expect(chart.locator('rect')).not.toHaveCount(0);
  await expect(chart).toContainText('石家庄');
  await expect(page.locator('.ranking-table')).toContainText('石家庄');
  // Clicked as a person would: with JavaScript on, the link must leave the client router.
  if (info.project.name === 'js') await hydrated(page);
  const bytes = await downloaded(page, page.getByRole('link', { name: '导出 XLSX' }));
  expect(bytes.subarray(0, 2).toString()).toBe('PK');
});
