import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { parseDuration, parsePercent, parseRate, parseSize, parseUnit } from '../../src/scenario/units.js';

describe('units', () => {
  it('parses durations to milliseconds', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('0s')).toBe(0);
  });

  it('parses rates to deliveries per second', () => {
    expect(parseRate('500/s')).toBe(500);
    expect(parseRate('30000/m')).toBe(500);
    expect(parseRate('3600/h')).toBe(1);
    expect(parseRate('12.5/s')).toBe(12.5);
  });

  it('parses sizes to bytes with KB = 1024', () => {
    expect(parseSize('512B')).toBe(512);
    expect(parseSize('100KB')).toBe(102_400);
    expect(parseSize('5MB')).toBe(5 * 1024 * 1024);
    expect(parseSize('1GB')).toBe(1024 ** 3);
    expect(parseSize('25mb')).toBe(25 * 1024 * 1024);
    expect(parseSize('1KiB')).toBe(1024);
  });

  it('parses percentages to fractions', () => {
    expect(parsePercent('0.1%')).toBeCloseTo(0.001, 10);
    expect(parsePercent('99.9%')).toBeCloseTo(0.999, 10);
    expect(parsePercent('100%')).toBe(1);
  });

  it('refuses a bare number, with the unit to add', () => {
    expect(parseUnit('duration', '30')).toEqual({
      ok: false,
      message: "duration '30' has no unit; write 30s",
      hint: expect.stringContaining('500ms'),
    });
    expect(parseUnit('rate', '500')).toMatchObject({ message: "rate '500' has no unit; write 500/s" });
    expect(parseUnit('size', '1024')).toMatchObject({ message: "size '1024' has no unit; write 1024B" });
    expect(parseUnit('percentage', '0.1')).toMatchObject({
      message: "percentage '0.1' has no unit; write 0.1%",
    });
  });

  it('refuses negative, unknown and out-of-range values', () => {
    expect(parseUnit('duration', '-5s')).toMatchObject({ ok: false, message: "duration '-5s' is negative" });
    expect(parseUnit('duration', '5 sec')).toMatchObject({
      ok: false,
      message: "duration '5 sec' is not a duration",
    });
    expect(parseUnit('duration', '1m30')).toMatchObject({ ok: false });
    expect(parseUnit('rate', '10/day')).toMatchObject({ ok: false });
    expect(parseUnit('size', '5XB')).toMatchObject({ ok: false });
    expect(parseUnit('percentage', '150%')).toMatchObject({
      ok: false,
      message: "percentage '150%' is over 100%",
    });
  });

  it('the flag parsers throw a UserError naming the flag', () => {
    expect(() => parseDuration('30', '--duration')).toThrow(UserError);
    expect(() => parseDuration('30', '--duration')).toThrow("--duration '30' has no unit; write 30s");
    try {
      parseRate('fast', '--rate');
    } catch (e) {
      expect((e as UserError).hint).toContain('500/s');
    }
  });
});
