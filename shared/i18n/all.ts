/**
 * Every namespace of the catalogue, registered on import: for Node (the tray menu, notifications, the CLI),
 * where size does not matter. The popup registers only what it shows (renderer/i18n.ts) and never imports this.
 */
import { addMessages } from './index';
import common from './en/common.json' with { type: 'json' };

addMessages('common', common);
