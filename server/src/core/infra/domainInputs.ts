// What the domain check can take from the sending infrastructure of a workspace: the DKIM selectors
// of identities signed with a key of their own (BYODKIM's DomainSigningSelector) and the custom MAIL
// FROM domains, each with the file and line it came from. Easy DKIM's selectors are tokens SES makes
// when the identity is created: no file holds them, so an identity with Easy DKIM is only noted.

import { detectKind } from '../input';
import { parseCloudFormation } from '../parse/infra/cloudformation';
import { parseTerraform, parseTerraformJson } from '../parse/infra/terraform';
import { get, str } from '../parse/infra/tree';
import { dnsName, type InfraModel } from './model';

/** One identity of an infrastructure file, as the domain check reads it. */
export interface InfraIdentityInput {
  /** The identity's domain (of an address: its domain). */
  domain: string;
  /** BYODKIM selectors written literally. */
  selectors: string[];
  /** The custom MAIL FROM domain, when written literally. */
  mailFrom?: string;
  /** Signed with Easy DKIM (no selector of its own, signing not turned off): the selectors are unknown offline. */
  easyDkim: boolean;
  /** `file:line` of the identity. */
  from: string;
}

/** Words one of which every file defining an SES identity holds. */
const MARKERS = ['AWS::SES::EmailIdentity', 'aws_sesv2_email_identity', 'aws_ses_domain_identity'];

/** The model of an infrastructure file, or undefined (not one, or it does not parse). */
export function infraModelOf(filePath: string, text: string): InfraModel | undefined {
  if (detectKind(filePath, text) !== 'infra') return undefined;
  try {
    const model = /\.tf$/i.test(filePath) ? parseTerraform(text) : /\.tf\.json$/i.test(filePath) ? parseTerraformJson(text) : parseCloudFormation(text);
    return model && !model.problems.length ? model : undefined;
  } catch {
    return undefined;
  }
}

/** The identities of one file (`shown`: how the file is named in `from`). */
export function identityInputsOf(filePath: string, text: string, shown = filePath): InfraIdentityInput[] {
  if (!MARKERS.some((m) => text.includes(m))) return [];
  const model = infraModelOf(filePath, text);
  if (!model) return [];
  const tf = model.source === 'terraform';
  const out: InfraIdentityInput[] = [];
  for (const id of model.identities) {
    const name = str(id.identity);
    if (!name) continue;
    const domain = dnsName(name.includes('@') ? name.slice(name.lastIndexOf('@') + 1) : name);
    const selectorNode = get(id.dkimSigning, tf ? 'domain_signing_selector' : 'DomainSigningSelector');
    const selector = str(selectorNode);
    const enabled = id.dkimEnabled?.t === 'scalar' ? id.dkimEnabled.value : undefined;
    const mailFrom = str(get(id.mailFrom, model.keys.MailFromDomain));
    // v1 Terraform identities keep DKIM in a resource of their own: not known here.
    // A computed selector is BYODKIM whose selector is not known here: neither taken nor called Easy DKIM.
    const easyDkim = !selectorNode && enabled !== false && id.res.type !== 'aws_ses_domain_identity';
    out.push({ domain, selectors: selector ? [selector.trim().toLowerCase()] : [], mailFrom: mailFrom ? dnsName(mailFrom) : undefined, easyDkim, from: `${shown}:${lineOf(text, id.res.at.start)}` });
  }
  return out;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** What the infrastructure says for `domain`: its identity and those of its subdomains' MAIL FROM. */
export interface InfraDomainInputs {
  selectors: Array<{ selector: string; from: string }>;
  mailFromDomains: Array<{ domain: string; from: string }>;
  /** Where an identity of the domain signs with Easy DKIM. */
  easyDkim: string[];
}

export function inputsForDomain(domain: string, identities: readonly InfraIdentityInput[]): InfraDomainInputs {
  const d = dnsName(domain);
  const out: InfraDomainInputs = { selectors: [], mailFromDomains: [], easyDkim: [] };
  for (const id of identities) {
    if (id.domain !== d) continue;
    for (const s of id.selectors) if (!out.selectors.some((x) => x.selector === s)) out.selectors.push({ selector: s, from: id.from });
    if (id.mailFrom && !out.mailFromDomains.some((x) => x.domain === id.mailFrom)) out.mailFromDomains.push({ domain: id.mailFrom, from: id.from });
    // A handful is enough to say where: a repository of many stacks would make the report a list of files.
    if (id.easyDkim && out.easyDkim.length < 5) out.easyDkim.push(id.from);
  }
  return out;
}
