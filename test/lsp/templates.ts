// Realistic email templates for the language server tests: table layout, inline styles, Outlook
// conditional comments and merge tags, the way production marketing mail is written.

/** Line (0-based) of the `<body ...>` start tag in NEWSLETTER, and the tag itself. */
export const NEWSLETTER_BODY_LINE = 8;
export const NEWSLETTER_BODY_TAG = '<body style="margin:0;padding:0;background-color:#f4f4f4;">';

/** A marketing newsletter with no unsubscribe link and no postal address. */
export const NEWSLETTER = `<!DOCTYPE html>
<html lang="en" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Spring collection: 20% off this week</title>
  <!--[if mso]><noscript><xml><o:OfficeDocumentSettings><o:PixelsPerInch>96</o:PixelsPerInch></o:OfficeDocumentSettings></xml></noscript><![endif]-->
</head>
${NEWSLETTER_BODY_TAG}<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;">Spring collection: 20% off this week</div>
  <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f4f4f4;">
    <tr>
      <td align="center" style="padding:24px 0;">
        <!--[if mso]><table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;background-color:#ffffff;">
          <tr>
            <td style="padding:32px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:24px;color:#333333;">
              <h1 style="margin:0 0 16px;font-size:24px;">Hi {{ first_name | default: "there" }},</h1>
              <p style="margin:0 0 16px;">Our spring collection has landed, and this week it is 20% off with the code <strong>SPRING20</strong>.</p>
              <table role="presentation" cellpadding="0" cellspacing="0" border="0">
                <tr>
                  <td style="border-radius:4px;background-color:#1e2a3a;">
                    <a href="https://shop.example.com/spring?utm_source=newsletter&amp;utm_medium=email" style="display:inline-block;padding:12px 24px;color:#ffffff;text-decoration:none;">Shop the collection</a>
                  </td>
                </tr>
              </table>
            </td>
          </tr>
        </table>
        <!--[if mso]></td></tr></table><![endif]-->
      </td>
    </tr>
  </table>
</body>
</html>
`;

/** The footer a developer would add: unsubscribe link and postal address. */
export const FOOTER = `  <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">
    <tr>
      <td align="center" style="padding:16px;font-family:Arial,Helvetica,sans-serif;font-size:12px;color:#666666;">
        Example Shop Ltd, 1 Market Street, Springfield, IL 62701, USA<br>
        <a href="https://shop.example.com/unsubscribe?id={{ subscriber_id }}" style="color:#666666;">Unsubscribe</a>
      </td>
    </tr>
  </table>
`;

/** NEWSLETTER with the footer: nothing to report about unsubscribing. */
export const NEWSLETTER_WITH_FOOTER = NEWSLETTER.replace('</body>', `${FOOTER}</body>`);

/** A password reset mail: transactional, so the unsubscribe rules stay silent. */
export const PASSWORD_RESET = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Reset your password</title></head>
<body style="margin:0;padding:0;">
  <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">
    <tr><td style="padding:24px;font-family:Arial,sans-serif;">
      <p>Hi {{ first_name }}, we received a request to reset your password.</p>
      <p><a href="{{ reset_url }}" style="color:#1a73e8;">Reset password</a></p>
    </td></tr>
  </table>
</body>
</html>
`;

/** An MJML newsletter without an unsubscribe link. */
export const MJML_NEWSLETTER = `<mjml>
  <mj-head>
    <mj-title>Autumn offers</mj-title><mj-preview>Our autumn range is in store now</mj-preview>
    <mj-attributes>
      <mj-all font-family="Arial, Helvetica, sans-serif" />
    </mj-attributes>
  </mj-head>
  <mj-body background-color="#f4f4f4">
    <mj-section background-color="#ffffff" padding="24px">
      <mj-column>
        <mj-text font-size="20px">Hello {{ first_name }},</mj-text>
        <mj-text>Our autumn range is in store now.</mj-text>
        <mj-button href="https://shop.example.com/autumn" background-color="#1e2a3a">See the range</mj-button>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>
`;

/** A Handlebars newsletter partial-free template without an unsubscribe link. */
export const HANDLEBARS_NEWSLETTER = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{subject}}</title></head>
<body style="margin:0;"><div style="display:none;max-height:0;overflow:hidden;mso-hide:all;">{{preview}}</div>
  <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">
    {{#each products}}
    <tr><td style="padding:8px;font-family:Arial,sans-serif;"><a href="{{this.url}}">{{this.name}}</a> &ndash; {{this.price}}</td></tr>
    {{/each}}
  </table>
</body>
</html>
`;

/** Position (line, character) of the first occurrence of `needle` in `text`. */
export function positionOf(text: string, needle: string): { line: number; character: number } {
  const offset = text.indexOf(needle);
  if (offset === -1) throw new Error(`"${needle}" is not in the text`);
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}
