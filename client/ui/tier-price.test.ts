import { describe, expect, it } from 'vitest';
import { majorAmount, minorDigits, parsePrice, priceText } from './tier-price.ts';

describe('tier prices in minor units', () => {
  it('knows how many minor digits a currency has', () => {
    expect(minorDigits('RON')).toBe(2);
    expect(minorDigits('EUR')).toBe(2);
    expect(minorDigits('JPY')).toBe(0);
  });

  it('reads what people type, with a comma or a point, into minor units', () => {
    expect(parsePrice('150', 'RON')).toBe(15000);
    expect(parsePrice('150,5', 'RON')).toBe(15050);
    expect(parsePrice(' 150.05 ', 'RON')).toBe(15005);
    expect(parsePrice('0', 'EUR')).toBe(0);
    expect(parsePrice('1 200', 'RON')).toBe(120000);
    expect(parsePrice('1500', 'JPY')).toBe(1500);
  });

  it('refuses what is not a price rather than guessing', () => {
    for (const text of ['', '-5', '12.345', '1.500,00', 'abc', '1e3', '10,', '15.5', '9999999999']) {
      expect(parsePrice(text, text === '15.5' ? 'JPY' : 'RON'), text).toBeNull();
    }
  });

  it('shows a stored price for editing and for formatting', () => {
    expect(priceText(15050, 'RON')).toBe('150.50');
    expect(priceText(0, 'RON')).toBe('0.00');
    expect(majorAmount(15050, 'RON')).toBe(150.5);
    expect(parsePrice(priceText(99999, 'EUR'), 'EUR')).toBe(99999);
  });
});
