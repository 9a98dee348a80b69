import { test, expect } from '@playwright/test';
import { downloaded, login } from './helpers';

// 导入 (#16): a small CSV of customers with two bad rows; the preview guesses the columns, the
// job imports the good rows and its error report names the two bad ones. The imported
// customers are deleted again in a batch, so the demo data is as it was.

test('导入客户：预览、导入、下载错误报告', async ({ page }, info) => {
  const p = info.project.name;
  const csv = [
    '客户名称,行业,客户级别,电话',
    `导入甲-${p},政务,一般客户,0311-1001`,
    `导入乙-${p},不存在的行业,一般客户,0311-1002`,
    `导入丙-${p},医疗,重要客户,0311-1003`,
    `,政务,一般客户,0311-1004`,
  ].join('\r\n');
  await login(page, 'sjz_am1');
  await page.goto('/customers');
  await page.getByRole('link', { name: '导入', exact: true }).click();
  await expect(page.getByRole('heading', { name: '导入' })).toBeVisible();
  await page.getByLabel('文件（CSV 或 Excel）').setInputFiles({
    name: 'customers.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('\ufeff' + csv, 'utf8'),
  });
  await page.getByRole('button', { name: '预览' }).click();
  await expect(page.getByRole('cell', { name: `导入甲-${p}` })).toBeVisible();
  await expect(page.getByLabel('列：行业')).toHaveValue('industry');
  await expect(page.getByLabel('列：电话')).toHaveValue('phone');
  await page.getByRole('button', { name: '开始导入' }).click();
  await expect(page).toHaveURL(/\/jobs\/\d+$/);
  await expect(page.getByText('已完成')).toBeVisible();
  await expect(page.locator('#job-succeeded')).toHaveText('2');
  await expect(page.locator('#job-failed')).toHaveText('2');
  await expect(page.getByRole('cell', { name: '选项无效' })).toBeVisible();
  const report = (await downloaded(page, page.getByRole('link', { name: '下载错误报告' }))).toString('utf8');
  expect(report).toContain(`3,导入乙-${p},行业,选项无效`);
  expect(report).toContain('5,,客户名称,此项为必填项');

  await page.goto(`/customers?name=${encodeURIComponent(`-${p}`)}`);
  for (const name of [`导入甲-${p}`, `导入丙-${p}`]) {
    await page.getByRole('checkbox', { name }).check();
  }
  await page.getByLabel('操作', { exact: true }).selectOption({ label: '删除' });
  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('button', { name: '执行' }).click();
  await expect(page.locator('#job-succeeded')).toHaveText('2');
});
