import { ERROR_SHOWN_MS, MOST_ERRORS_SHOWN, showError, status } from '../../../client/src/status';

describe('the browser runtime’s error toasts', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    status.errors.splice(0);
  });
  afterEach(() => {
    jest.runOnlyPendingTimers();
    jest.useRealTimers();
  });

  it('counts the same error shown again on the one shown, and keeps it up for longer', () => {
    showError('full');
    jest.advanceTimersByTime(ERROR_SHOWN_MS - 1000);
    showError('full');
    showError('full');
    expect(status.errors.map((e) => [e.text, e.times])).toEqual([['full', 3]]);
    jest.advanceTimersByTime(2000);
    expect(status.errors).toHaveLength(1);
    jest.advanceTimersByTime(ERROR_SHOWN_MS);
    expect(status.errors).toHaveLength(0);
  });

  it('shows a few errors at most, dropping the oldest', () => {
    for (let i = 1; i <= MOST_ERRORS_SHOWN + 2; i++) showError(`error ${i}`);
    expect(status.errors.map((e) => e.text)).toEqual(
      Array.from({ length: MOST_ERRORS_SHOWN }, (_, i) => `error ${i + 3}`),
    );
    jest.advanceTimersByTime(ERROR_SHOWN_MS);
    expect(status.errors).toHaveLength(0);
  });
});
