import { test, expect, Page } from '@playwright/test';
import { fileAndApprove, login } from './helpers';

// 统计分析 (#18): 销售支持 opens the menu and sees the funnel (an SVG chart and its table);
// 客户经理 have no such menu and are refused by address; a stage moved by the owner moves the
// funnel's counts.

/** The 商机数 of each stage in the funnel's table. */
async function stageCounts(page: Page): Promise<number[]> {
  const rows = page.locator('table.analysis-table tbody tr');
  await expect(rows).toHaveCount(4);
  const counts: number[] = [];
  for (let i = 0; i < 4; i++) {
    counts.push(Number(await rows.nth(i).locator('td').nth(1).innerText()));
  }
  return counts;
}

test('销售支持查看销售漏斗，阶段处理后漏斗随之变化', async ({ page, browser }, info) => {
  const js = info.project.name === 'js';
  await login(page, 'sjz_am1');
  const url = await fileAndApprove(page, browser, js, `漏斗商机-${info.project.name}`, `漏斗客户-${info.project.name}`);

  const support = await browser.newPage({ javaScriptEnabled: js });
  await login(support, 'support');
  await support.getByRole('link', { name: '统计分析' }).click();
  await expect(support.getByRole('heading', { name: '统计分析' })).toBeVisible();
  await expect(support.locator('svg.funnel-chart')).toBeVisible();
  await expect(support.locator('table.analysis-table th').first()).toHaveText('阶段');
  const before = await stageCounts(support);

  await page.goto(url);
  await page.getByLabel('阶段处理').selectOption({ label: '方案制定' });
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page.getByText(/识别商机 → 方案制定/)).toBeVisible();

  await support.goto('/analysis');
  await expect
    .poll(async () => stageCounts(support))
    .toEqual([before[0] - 1, before[1] + 1, before[2], before[3]]);
  // The other figures open from their tabs, each with its chart and table.
  for (const [tab, chart] of [['客户价值金字塔', 'pyramid-chart'], ['销售预测', 'column-chart'], ['竞争分析', 'pairs-chart']]) {
    await support.getByRole('link', { name: tab }).click();
    await expect(support.locator(`svg.${chart}`)).toBeVisible();
    await expect(support.locator('table.analysis-table')).toBeVisible();
  }
  await support.close();
});

test('客户经理看不到统计分析，按地址访问被拒绝', async ({ page }) => {
  await login(page, 'sjz_am1');
  await expect(page.getByRole('link', { name: '统计分析' })).toHaveCount(0);
  const response = await page.goto('/analysis');
  expect(response?.status()).toBe(403);
  await expect(page.getByText('无权访问')).toBeVisible();
  await expect(page.locator('svg.funnel-chart')).toHaveCount(0);
});

test('客户业务预警：菜单和预警列表', async ({ page }) => {
  await login(page, 'sjz_am1');
  await page.getByRole('link', { name: /^客户业务预警/ }).click();
  await expect(page.getByRole('heading', { name: '客户业务预警' })).toBeVisible();
  // Every kind has its tab with a count; the list or 「暂无此类预警」 below.
  await expect(page.locator('nav.warning-tabs a')).toHaveCount(7);
  await page.locator('nav.warning-tabs a[data-kind="no_contact"]').click();
  await expect(page.locator('nav.warning-tabs a.active')).toHaveAttribute('data-kind', 'no_contact');
  await expect(page.locator('table.warning-table, p.notice').first()).toBeVisible();
});
