/**
 * Every namespace of the catalogue, registered on import: for Node (the tray menu, notifications, the CLI),
 * where size does not matter. The popup registers only what it shows (renderer/i18n.ts) and never imports this.
 */
import { addMessages, enablePseudoLocale } from './index';
import { PSEUDO_TRANSFORMS } from './pseudo';
import cli from './en/cli.json' with { type: 'json' };
import common from './en/common.json' with { type: 'json' };
import details from './en/details.json' with { type: 'json' };
import diagnostics from './en/diagnostics.json' with { type: 'json' };
import errors from './en/errors.json' with { type: 'json' };
import history from './en/history.json' with { type: 'json' };
import notifications from './en/notifications.json' with { type: 'json' };
import popup from './en/popup.json' with { type: 'json' };
import tray from './en/tray.json' with { type: 'json' };

enablePseudoLocale(PSEUDO_TRANSFORMS);
addMessages('cli', cli);
addMessages('common', common);
addMessages('details', details);
addMessages('diagnostics', diagnostics);
addMessages('errors', errors);
addMessages('history', history);
addMessages('notifications', notifications);
addMessages('popup', popup);
addMessages('tray', tray);
