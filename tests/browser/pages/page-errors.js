// Records a page's uncaught errors for drivers that have no page events
// (tests/browser/webkit.js drains them with every evaluate). A classic script,
// loaded before the page's modules.
window.__compolyPageErrors = [];
addEventListener('error', (e) => window.__compolyPageErrors.push(e.message));
addEventListener('unhandledrejection', (e) => window.__compolyPageErrors.push(`unhandled rejection: ${e.reason?.message ?? e.reason}`));
