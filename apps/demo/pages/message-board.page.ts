import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { DemoConfig } from '../config';
import {
  Button,
  defineShared,
  Div,
  EventMessage,
  handler,
  Icon,
  OnStartup,
  P,
  PageRenderer,
  PageRequest,
  PageRoute,
  Pre,
  TaskContext,
  Textarea,
  WebPage,
} from 'pushpage';

const INPUT_CLASSES =
  'm-2 bg-gray-200 font-mono appearance-none border-2 border-gray-200 rounded py-2 px-4 text-gray-700 focus:outline-none focus:bg-white focus:border-red-500';
const BUTTON_CLASSES =
  'm-2 p-2 text-red-700 bg-white hover:bg-red-200 hover:text-red-500 border focus:border-red-500 focus:outline-none';
const MESSAGE_CLASSES = 'ml-4 p-2 text-lg bg-red-500 text-white overflow-auto font-mono rounded-lg';

function timestamp(date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** One message: icon, time stamp, text. */
function messageRow(text: string): Div {
  const row = new Div({ classes: 'flex m-2 border' });
  row.add(
    new Icon({ icon: 'comments', classes: 'text-2xl text-green-600' }),
    new P({ text: timestamp(), classes: 'text-xs ml-2 flex-shrink-0' }),
    new Pre({ text, classes: MESSAGE_CLASSES }),
  );
  return row;
}

/** The board, which keeps its newest messages only, is trimmed once it holds this many more. */
const TRIM_EVERY = 20;
/** The longest message (the text box's maxlength, enforced by the server). */
export const MESSAGE_MAX_LENGTH = 1000;

/** The messages, shared by every page; created once per cluster with its welcome message. */
export const MESSAGE_BOARD = defineShared('demo:message-board', () => {
  const board = new Div({ classes: 'm-2 h-1/2 border overflow-auto' });
  board.add(messageRow('Welcome to the simple message board!'));
  return board;
});

type SendButton = Button<{ message: Textarea }>;

/** `/message-board`: a page per tab, with the shared board inside; newest message first. */
@Injectable()
@PageRoute('/message-board', { title: 'Simple Message Board' })
export class MessageBoardPage implements PageRenderer {
  /** How many messages the board keeps, so that no visitor can make it grow for good. */
  private readonly keep: number;

  constructor(config: ConfigService) {
    this.keep = config.getOrThrow<DemoConfig>('demo').boardMessages;
  }

  /** Creates the board (and its welcome message) at start-up rather than on the first visit. */
  @OnStartup({ once: 'cluster' })
  async createBoard(ctx: TaskContext): Promise<void> {
    await ctx.shared(MESSAGE_BOARD);
  }

  async render(req: PageRequest): Promise<WebPage> {
    const wp = new WebPage({ title: 'Simple Message Board' });
    const outer = new Div({ classes: 'flex flex-col h-screen', parent: wp });
    new Div({
      text: 'Simple Message Board',
      classes: 'bg-red-100 border-l-4 border-red-500 text-red-700 p-4 text-3xl',
      parent: outer,
    });
    const row = new Div({ classes: 'flex', parent: outer });
    const message = new Textarea({
      placeholder: 'Enter message here',
      classes: INPUT_CLASSES,
      debounce: 500,
      maxLength: MESSAGE_MAX_LENGTH,
      parent: row,
    });
    const send: SendButton = new Button({
      classes: BUTTON_CLASSES,
      click: this.sendMessage,
      parent: row,
    });
    send.add(
      new Icon({ icon: 'paper-plane', classes: 'text-2xl' }),
      new Div({ text: 'Send', classes: 'text-sm' }),
    );
    const board = await req.shared(MESSAGE_BOARD);
    outer.add(board);
    board.addPage(wp);
    send.data.message = message;
    return wp;
  }

  readonly sendMessage = handler(async (self: SendButton, msg: EventMessage) => {
    const message = self.data.message;
    if (!message.value) return;
    const board = await msg.shared(MESSAGE_BOARD);
    board.addComponent(messageRow(message.value), 0);
    message.value = '';
    await board.update();
    // posting never reads the board, so posts from every tab never conflict; trimming reads
    // it, once per batch, after the post: removing given old rows is right whatever was
    // posted meanwhile, and a row two trims remove goes once
    if ((board.childCount ?? 0) > this.keep + TRIM_EVERY) {
      for (const old of (await board.loadChildren()).slice(this.keep)) board.remove(old);
      await board.update();
    }
  });
}
