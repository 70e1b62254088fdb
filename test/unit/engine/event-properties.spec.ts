import { askedEventProperties } from '../../../libs/pushpage/src/engine/event-properties';

describe('the event properties a handler receives', () => {
  it('are exactly those its binding asked for', () => {
    const given = { key: 'k', ctrlKey: true, shiftKey: false, clientX: 3 };
    expect(askedEventProperties(given, ['key', 'ctrlKey'])).toEqual({ key: 'k', ctrlKey: true });
  });

  it('are empty values of their kind when the event lacks them', () => {
    expect(askedEventProperties({}, ['key', 'altKey', 'clientY', 'args', 'target.value'])).toEqual({
      key: '',
      altKey: false,
      clientY: 0,
      args: [],
      'target.value': '',
    });
    expect(askedEventProperties(undefined, ['metaKey'])).toEqual({ metaKey: false });
  });

  it('are none for a binding that asked for none', () => {
    expect(askedEventProperties({ key: 'k' }, [])).toEqual({});
  });
});
