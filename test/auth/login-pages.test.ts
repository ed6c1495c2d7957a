import { describe, expect, it } from '@jest/globals';
import { renderLoginPage, type LoginPage } from '../../src/auth/index.js';

const PAGES: [LoginPage, number, string, string][] = [
  ['expired', 410, 'Link scaduto', 'This link has expired'],
  ['used', 409, 'Link già usato', 'This link was already used'],
  ['stale', 410, 'usa il più recente nella chat', 'Use the newest link in the chat'],
  ['failed', 400, 'Accesso non riuscito', 'Sign-in failed'],
  ['unavailable', 503, 'non risponde', 'not answering'],
];

describe('login pages', () => {
  it.each(PAGES)('%s: status %i, in Italian and English', (page, status, italian, english) => {
    const { status: actual, html } = renderLoginPage(page);
    expect(actual).toBe(status);
    expect(html).toMatch(new RegExp(`<section lang="it">.*${italian}`, 's'));
    expect(html).toMatch(new RegExp(`<section lang="en">.*${english}`, 's'));
  });

  it.each(PAGES.map(([page]) => page))('%s: static, nothing loaded from anywhere, no link out', (page) => {
    const { html } = renderLoginPage(page);
    expect(html).not.toMatch(/<script|<img|<link|<iframe|<form|<a\s|src=|href=|url\(|https?:/i);
  });
});
