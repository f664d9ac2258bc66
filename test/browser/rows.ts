import type { Page } from '@playwright/test';

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The popup's one list. */
export const list = (page: Page) => page.getByRole('list', { name: 'Connections' });

/** Every row of the list. */
export const rows = (page: Page) => list(page).getByRole('listitem').filter({ has: page.locator('[data-row-main]') });

/** A row's main button, by the name it starts with ("Office VPN, Connected · IKEv2 VPN"). */
export const rowButton = (page: Page, name: string) => list(page).getByRole('button', { name: new RegExp(`^${escape(name)}, `) });

/** The row of the connection or saved entry called `name`. */
export const rowOf = (page: Page, name: string) => rows(page).filter({ has: page.getByRole('button', { name: new RegExp(`^${escape(name)}, `) }) });
