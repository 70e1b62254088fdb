/** Where the tab keeps its id: `sessionStorage` lasts as long as the tab, reloads included. */
const TAB_ID_KEY = 'pushpage:tab';
/** A tab id as the server checks it (`ID_PATTERN`). */
const TAB_ID = /^[A-Za-z0-9_-]{1,64}$/;

let ownId: string | undefined;

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * This tab's id, for the server's per-tab storage (`msg.storage.tab`): random, kept in
 * `sessionStorage`, so it survives reloads of the tab and differs between tabs. Where
 * `sessionStorage` cannot be used, the id lasts as long as the page.
 */
export function tabId(): string {
  if (ownId) return ownId;
  let id: string | null = null;
  try {
    id = sessionStorage.getItem(TAB_ID_KEY);
    if (!id || !TAB_ID.test(id)) {
      id = randomId();
      sessionStorage.setItem(TAB_ID_KEY, id);
    }
  } catch {
    id = randomId();
  }
  ownId = id;
  return id;
}
