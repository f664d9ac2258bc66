/**
 * Issue 27 in the popup: what the administrator's policy locks shows as locked, "Set by your organisation",
 * and hideConnectControls takes Connect, Cancel and Disconnect away, both followed live through the
 * `settings:policy` push (the harness's bridge answers and pushes it as main.ts does, over the app's own
 * request handlers; a locked setting is refused there as the app's SettingsStore refuses it).
 */
import { NO_POLICY, type Policy } from '../../shared/policy';
import { expect, test, watchPageProblems } from './harness';
import { rowButton, rowOf, rows } from './rows';
import { openShowcase } from './showcase';

const policy = (fields: Partial<Policy>): Policy => ({ ...NO_POLICY, source: '/etc/linkwatch/policy.json', ...fields });

test('a retention the policy locks: its value in force, disabled, "Set by your organisation" as its description; unlocked live', async ({ page, popupServer }) => {
  const problems = watchPageProblems(page);
  const { showcase, popup } = await openShowcase(page, popupServer, { policy: policy({ locked: { historyDays: 30 } }) });
  try {
    await page.getByRole('tab', { name: 'History' }).click();
    const keep = page.getByRole('combobox', { name: 'Keep history for' });
    await expect(keep, 'the value the policy sets, not the user’s 90').toHaveValue('30');
    await expect(keep).toBeDisabled();
    await expect(keep).toHaveAccessibleDescription('Set by your organisation');
    await expect(page.getByText('Set by your organisation')).toBeVisible();
    expect(popup.requests.some((request) => request.channel === 'settings:set'), 'nothing was asked to change').toBe(false);

    // The administrator lifts the lock: the control is the user's again, and a choice is saved.
    await popup.setPolicy(NO_POLICY);
    await expect(keep).toBeEnabled();
    await expect(keep).toHaveValue('90');
    await expect(page.getByText('Set by your organisation')).toHaveCount(0);
    await expect(keep).not.toHaveAttribute('aria-describedby');
    await keep.selectOption({ label: '7 days' });
    await expect.poll(() => popup.requests.filter((request) => request.channel === 'settings:set').map((request) => request.args)).toEqual([[{ historyDays: 7 }]]);

    // Locked again while the view is open: disabled at once, showing the policy's value.
    await popup.setPolicy(policy({ locked: { historyDays: 365 } }));
    await expect(keep).toBeDisabled();
    await expect(keep).toHaveValue('365');
    await expect(keep).toHaveAccessibleDescription('Set by your organisation');
  } finally {
    popup.close();
    showcase.close();
  }
  expect(problems).toEqual([]);
});

test('hideConnectControls: no Connect, Cancel or Disconnect on any row, the rows and their details stay; offered again when lifted', async ({ page, popupServer }) => {
  const problems = watchPageProblems(page);
  const { showcase, popup } = await openShowcase(page, popupServer, { policy: policy({ hideConnectControls: true }) });
  try {
    await expect(rowButton(page, 'Office VPN')).toBeVisible();
    await expect(rowButton(page, 'Branch office')).toBeVisible();
    const actions = rows(page).getByRole('button', { name: /^(Connect|Cancel|Disconnect|Retry)\b/ });
    await expect(actions).toHaveCount(0);
    // The details still open (what a user may look at is not what they may change).
    await rowButton(page, 'Office VPN').click();
    await expect(rowOf(page, 'Office VPN').getByText('Connected for')).toBeVisible();
    await expect(actions).toHaveCount(0);

    await popup.setPolicy(NO_POLICY);
    await expect(page.getByRole('button', { name: 'Connect Branch office' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Disconnect Office VPN' })).toBeVisible();

    // Hidden again live: the buttons go at once.
    await popup.setPolicy(policy({ hideConnectControls: true }));
    await expect(actions).toHaveCount(0);
    expect(popup.requests.filter((request) => request.channel.startsWith('connections:') && !['connections:subscribe', 'connections:saved'].includes(request.channel))).toEqual([]);
  } finally {
    popup.close();
    showcase.close();
  }
  expect(problems).toEqual([]);
});
