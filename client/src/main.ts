import { io } from 'socket.io-client';
import { createApp, h, nextTick } from 'vue';
import { ActionRunner } from './actions';
import { browserTab } from './browser-tab';
import { ClientFunctions } from './client-functions';
import { Connection } from './connection';
import { EventSender } from './events';
import { HttpPage } from './http';
import { ChildPager } from './more';
import { loadQuasar, prepareQuasar, quasar, usesQuasar } from './quasar-loader';
import { nodeView } from './render';
import { UPLOAD_PORT } from './upload';
import { followPageTitle } from './page-title';
import { socketOptions } from './socket-options';
import { PageRecovery } from './recovery';
import { NoticesView, useQuasarLook } from './notices';
import { recoveryView, showError, status, StatusView } from './status';
import { elementIdOf, PageTree } from './tree';
import { BootState, ClientAction, ClientAnswer, ClientQuestion, UnusableReason } from './types';

/**
 * `window.pushpage`: the app's scripts (the `clientScripts` option, loaded after this one)
 * register the functions handlers call; the rest is there for debugging.
 */
const functions = new ClientFunctions();
const api: Record<string, unknown> = {
  register: (name: string, fn: (...args: never[]) => unknown) =>
    functions.register(name, fn as Parameters<ClientFunctions['register']>[1]),
};
(window as unknown as { pushpage: unknown }).pushpage = api;

async function boot(): Promise<void> {
  const stateElement = document.getElementById('pushpage-state');
  const mount = document.getElementById('pushpage-app');
  if (!stateElement || !mount) return;
  const state = JSON.parse(stateElement.textContent ?? '{}') as BootState;
  const tree = new PageTree();
  tree.load(state.snapshot);

  const runner = new ActionRunner(browserTab, functions, showError, (id) => {
    const node = tree.nodes.get(id);
    return node ? elementIdOf(node) : id;
  });
  // after the patches or page that came before them are rendered (focus a new input, say)
  const runActions = (actions: ClientAction[]) => void nextTick(() => runner.run(actions));
  let connection: Connection | undefined;
  const sender = new EventSender(
    () => tree.pageId,
    (event) => (connection ? connection.send(event) : http.send(event)),
  );
  const recovery = new PageRecovery(tree, () => sender.typedInto, recoveryView);
  const unusable = (reason: UnusableReason, message: string) => recovery.unusable(reason, message);
  const http = new HttpPage(tree, state.config.apiBase, {
    error: showError,
    unusable,
    resending: (active) => (status.resending = active),
    actions: runActions,
  });
  const reloadInterval = Number(
    state.snapshot.nodes.find((n) => n.i === tree.pageId)?.p.reloadInterval ?? 0,
  );
  if (reloadInterval > 0) http.poll(reloadInterval);
  if (state.config.websockets) {
    const socket = io(state.config.socketNamespace, socketOptions(state.config.socketPath));
    socket.on('actions', runActions);
    socket.on('ask', (question: ClientQuestion, reply: (answer: ClientAnswer) => void) => {
      void runner.answer(question).then(reply);
    });
    connection = new Connection(tree, socket, {
      error: showError,
      unusable,
      connected: (up) => {
        status.connected = up;
        if (up) status.everConnected = true;
      },
    });
  }

  const pager = new ChildPager(
    tree,
    (componentId, from) =>
      connection ? connection.children(componentId, from) : http.children(componentId, from),
    state.config.snapshotWindow,
  );
  const NodeView = nodeView(tree, sender, pager);
  const app = createApp({
    setup() {
      return () => [
        h(NodeView, { id: tree.pageId, key: tree.pageId }),
        h(StatusView),
        h(NoticesView),
      ];
    },
  });
  app.provide(UPLOAD_PORT, {
    url: (componentId) =>
      `${state.config.apiBase}/${encodeURIComponent(tree.pageId)}/uploads/${encodeURIComponent(componentId)}`,
    socketId: () => connection?.socketId,
    answered: (answer) => (connection ? runActions(answer.actions ?? []) : http.show(answer)),
    unusable,
  });
  prepareQuasar({
    app,
    assetBase: state.config.assetBase,
    pageId: () => tree.pageId,
    transport: connection ? connection.docTransport() : null,
  });
  if (usesQuasar(state.snapshot.nodes)) {
    try {
      await loadQuasar();
      useQuasarLook();
    } catch (error) {
      showError('Quasar could not be loaded; reload the page');
      console.error(error);
    }
  }
  app.mount(mount);
  recovery.restore((id, value) => {
    const node = tree.nodes.get(id);
    if (node) sender.valueChanged(node, value);
  });

  followPageTitle(tree, (title) => (document.title = title));
  window.addEventListener('pagehide', () => sender.flush());
  Object.assign(api, { tree, sender, quasar, connection });
}

void boot();
