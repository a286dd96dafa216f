/**
 * Shared pieces of the dashboard, one file each under components/ by what they hold. The pages
 * import them from here, so a page names one module whatever piece it uses.
 */
export { announce, Announcer } from './components/announcer.js';
export { Badge } from './components/badge.js';
export { ConfirmDialog, type Confirmation } from './components/dialog.js';
export {
  type ActionError,
  ErrorText,
  FieldError,
  issuesFor,
  toActionError,
} from './components/errors.js';
export { FilterInput, FilterSelect } from './components/filters.js';
export { useLoad } from './components/load.js';
export { Countdown, Facts, Id, Link, PageTitle } from './components/page.js';
export { type Column, Pager, Table, useCursorPages } from './components/table.js';
