import type { Notification, TabPort } from './actions';
import { openDialog, showNotice } from './notices';
import { quasar } from './quasar-loader';
import { HeadTag } from './types';

const FOCUSABLE = 'input, textarea, select, button, [contenteditable="true"], [tabindex], a[href]';

function byId(id: string): HTMLElement | null {
  return document.getElementById(id);
}

function saveAs(href: string, filename?: string): void {
  const a = document.createElement('a');
  a.href = href;
  a.download = filename ?? '';
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
}

function bytesOf(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/**
 * Client actions as the browser does them: Pushpage's toasts and dialogs, and Quasar's
 * `Dark` on pages that loaded Quasar. Elements are made with the DOM's own
 * calls (never HTML text), so nothing the server sends can become a script.
 */
export const browserTab: TabPort = {
  notify(notification: Notification) {
    showNotice(notification);
  },
  alert(message, title) {
    void openDialog('alert', message, title);
  },
  async confirm(message, title) {
    return (await openDialog('confirm', message, title)).ok;
  },
  async prompt(message, title, value) {
    const answer = await openDialog('prompt', message, title, value);
    return answer.ok ? answer.value : null;
  },
  scrollTo(id, smooth) {
    const element = byId(id);
    element?.scrollIntoView({ behavior: smooth ? 'smooth' : 'auto', block: 'center' });
    return element !== null;
  },
  focus(id) {
    const element = byId(id);
    const target = element?.matches(FOCUSABLE)
      ? element
      : element?.querySelector<HTMLElement>(FOCUSABLE);
    target?.focus();
    return Boolean(target);
  },
  copy(text) {
    return navigator.clipboard.writeText(text);
  },
  download(file) {
    if ('url' in file) return saveAs(file.url, file.filename);
    const url = URL.createObjectURL(new Blob([bytesOf(file.data)], { type: file.mime }));
    saveAs(url, file.filename);
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  },
  setTitle(title) {
    document.title = title;
  },
  setFavicon(href) {
    let link = document.head.querySelector<HTMLLinkElement>('link[rel="icon"]');
    if (!link) {
      link = document.createElement('link');
      link.rel = 'icon';
      document.head.append(link);
    }
    link.href = href;
  },
  addHead(tag: HeadTag) {
    const element = document.createElement(tag.tag);
    if (tag.tag === 'link') {
      element.setAttribute('rel', 'stylesheet');
      element.setAttribute('href', tag.href);
    } else {
      if ('name' in tag) element.setAttribute('name', tag.name);
      else element.setAttribute('property', tag.property);
      element.setAttribute('content', tag.content);
    }
    document.head.append(element);
  },
  setDark(on) {
    document.documentElement.classList.toggle('dark', on);
    quasar.runtime?.setDark(on);
  },
  navigate(url, newTab) {
    if (newTab) window.open(url, '_blank', 'noopener');
    else location.assign(url);
  },
  setUrl(url, push) {
    if (push) history.pushState(history.state, '', url);
    else history.replaceState(history.state, '', url);
  },
};
