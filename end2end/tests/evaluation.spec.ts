import { test, expect } from '@playwright/test';
import { fileAndApprove, login } from './helpers';

// 商机评估 (#18): the owner answers the manual's checklists on an opportunity and sees the score
// and the suggestion, on the evaluation page and on the opportunity's page.

test('回答商机评估后显示得分和建议', async ({ page, browser }, info) => {
  const js = info.project.name === 'js';
  const name = `评估商机-${info.project.name}`;
  await login(page, 'sjz_am1');
  const url = await fileAndApprove(page, browser, js, name, `评估客户-${info.project.name}`);

  await page.goto(url);
  await page.getByRole('link', { name: '商机评估' }).click();
  await expect(page.getByText('尚未评估')).toBeVisible();
  const questions = page.locator('fieldset.evaluation-question');
  await expect(questions).toHaveCount(12);
  for (let i = 0; i < 12; i++) {
    await questions.nth(i).getByRole('radio', { name: i < 9 ? '是' : '不清楚' }).check();
  }
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('评估已保存')).toBeVisible();
  // 9 + 3 × 0.5 of 12: 88 分 (87.5 rounded half up).
  await expect(page.locator('.evaluation-result .score')).toHaveText('88 分 · 建议跟进');
  await page.goto(url);
  await expect(page.getByText('88 分 · 建议跟进')).toBeVisible();
});
