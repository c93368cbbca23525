import { alertFor, alertStateOf } from './balance-alerts';

describe('balance alerts', () => {
  it('is LOW under the threshold, DEPLETED at zero or below, OK otherwise', () => {
    expect(alertStateOf(100, 50)).toBe('OK');
    expect(alertStateOf(50, 50)).toBe('OK');
    expect(alertStateOf(49, 50)).toBe('LOW');
    expect(alertStateOf(0, 50)).toBe('DEPLETED');
    expect(alertStateOf(-5, null)).toBe('DEPLETED');
    expect(alertStateOf(1, null)).toBe('OK');
  });

  it('raises one alert per crossing: dropped, depleted, recovered', () => {
    expect(alertFor('OK', 'LOW')).toBe('BALANCE_DROPPED');
    expect(alertFor('OK', 'DEPLETED')).toBe('BALANCE_DEPLETED');
    expect(alertFor('LOW', 'DEPLETED')).toBe('BALANCE_DEPLETED');
    expect(alertFor('DEPLETED', 'LOW')).toBe('BALANCE_RECOVERED');
    expect(alertFor('LOW', 'OK')).toBe('BALANCE_RECOVERED');
    expect(alertFor('LOW', 'LOW')).toBeNull();
    expect(alertFor('DEPLETED', 'DEPLETED')).toBeNull();
  });
});
