// Removes known secrets from log lines and messages before anyone sees them.

/** Collects the secrets of one resolution and scrubs them from text. */
export class Redactor {
  private readonly secrets = new Set<string>();

  /** Remember a secret (and its base64 forms) so it never leaves through a log line or message. */
  add(secret: string | undefined): void {
    if (!secret || secret.length < 4) return;
    this.secrets.add(secret);
    this.secrets.add(Buffer.from(secret).toString('base64'));
    this.secrets.add(encodeURIComponent(secret));
  }

  /** Remember `user:password` as sent in a Basic header. */
  addBasic(user: string, password: string): void {
    this.add(password);
    this.add(`${user}:${password}`);
  }

  /** The text with every known secret replaced by `***`, and any Authorization value masked. */
  clean(text: string): string {
    let out = text;
    // Longest first, so a secret containing another is removed whole.
    for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join('***');
    return out.replace(/\b(authorization|proxy-authorization)(\s*[:=]\s*)(basic|bearer)\s+\S+/gi, '$1$2$3 ***');
  }
}

/** A URL for log lines: origin and path, with any query (signed URLs carry secrets there) and userinfo dropped. */
export function safeUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}${url.search ? '?…' : ''}`;
}
