import { ClientAction, EventAnswer, PageView } from '../../protocol';

/**
 * The answer to an event over HTTP: the page, the client actions for whoever posted it, and
 * where the last `navigate` among them goes.
 */
export function eventAnswer(view: PageView, actions: readonly ClientAction[]): EventAnswer {
  if (actions.length === 0) return view;
  const answer: EventAnswer = { ...view, actions: [...actions] };
  for (const action of actions) if (action.do === 'navigate') answer.navigate = action.url;
  return answer;
}
