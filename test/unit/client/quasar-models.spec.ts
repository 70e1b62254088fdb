import { EventSender } from '../../../client/src/events';
import { quasarModelProps } from '../../../client/src/quasar-models';
import { LiveNode } from '../../../client/src/tree';
import { OutgoingEvent } from '../../../client/src/types';

function liveNode(t: string, p: LiveNode['p']): LiveNode {
  return { i: 'c1', t, p, e: [], a: {}, r: {}, k: [], m: 0, v: 'change', replay: 0 };
}

describe('Quasar controls in a tab', () => {
  const sent: OutgoingEvent[] = [];
  const sender = new EventSender(
    () => 'page1',
    (event) => sent.push(event),
  );
  beforeEach(() => {
    sent.length = 0;
    jest.useFakeTimers();
  });
  afterEach(() => jest.useRealTimers());

  it('show a control’s value as its model, and send what it emits', () => {
    const node = liveNode('q-checkbox', { value: true });
    const props = quasarModelProps(node, sender);
    expect(props.modelValue).toBe(true);
    expect(quasarModelProps(liveNode('q-radio', {}), sender).modelValue).toBeNull();
    (props['onUpdate:modelValue'] as (value: null) => void)(null);
    jest.runAllTimers();
    expect(sent).toEqual([{ pageId: 'page1', componentId: 'c1', type: 'change', value: null }]);
  });

  it('give a table the rows whose keys are selected, and send the keys of those it selects', () => {
    const rows = [
      { id: 1, who: 'Ada' },
      { id: 'b', who: 'Bob' },
      { id: 3, who: 'Cy' },
    ];
    const node = liveNode('q-table', { rowKey: 'id', rows, value: [3, 'b'] });
    const props = quasarModelProps(node, sender);
    expect(props.selected).toEqual([rows[1], rows[2]]);
    expect(props.modelValue).toBeUndefined();
    (props['onUpdate:selected'] as (rows: unknown[]) => void)([rows[0], rows[2], { who: 'x' }]);
    jest.runAllTimers();
    expect(sent).toEqual([{ pageId: 'page1', componentId: 'c1', type: 'change', value: [1, 3] }]);
    expect(quasarModelProps(liveNode('q-table', { rows }), sender).selected).toEqual([]);
  });
});
