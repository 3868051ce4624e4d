// Which campaign files name which template, with the subject they give it: kept from the campaign
// files the server lints (open ones, disk lints, the workspace scan), so the quick fixes of a
// template's title-missing finding can offer each subject as its title. Pure bookkeeping: a
// campaign file is parsed again here (a few lines of YAML or JSON), never linted.

import * as path from 'node:path';
import { CAMPAIGN_FILE, campaignIsJson, parseCampaign } from '../core/parse/campaign';

export interface CampaignSubject {
  /** The campaign file's absolute path. */
  readonly campaign: string;
  readonly subject: string;
}

/** Campaign files above this size are not indexed (a campaign file is a few hundred bytes). */
const MAX_CAMPAIGN_CHARS = 256 * 1024;

export class CampaignIndex {
  /** Template path -> campaign path -> subject. */
  private readonly byTemplate = new Map<string, Map<string, string>>();
  /** Campaign path -> the template it names (the edge to drop when it is linted again or deleted). */
  private readonly templateOf = new Map<string, string>();

  /** Replaces what the campaign file at `file` says with what `text` says; other files are ignored. */
  record(file: string, text: string): void {
    if (!CAMPAIGN_FILE.test(file)) return;
    const key = path.resolve(file);
    this.forget(key);
    if (text.length > MAX_CAMPAIGN_CHARS) return;
    let template: string | undefined;
    let subject: string | undefined;
    try {
      const model = parseCampaign(text, campaignIsJson(text));
      template = model.template?.value;
      subject = model.campaign.subject?.value;
    } catch {
      return;
    }
    if (!template || !subject || subject.trim() === '') return;
    const target = path.resolve(path.dirname(key), template);
    this.templateOf.set(key, target);
    let campaigns = this.byTemplate.get(target);
    if (!campaigns) this.byTemplate.set(target, (campaigns = new Map()));
    campaigns.set(key, subject);
  }

  /** Drops what a campaign file said (or every campaign file under a deleted folder). */
  forget(file: string, folder = false): void {
    const key = path.resolve(file);
    const files = folder ? [...this.templateOf.keys()].filter((f) => f === key || f.startsWith(key + path.sep)) : [key];
    for (const f of files) {
      const target = this.templateOf.get(f);
      if (target === undefined) continue;
      this.templateOf.delete(f);
      const campaigns = this.byTemplate.get(target);
      campaigns?.delete(f);
      if (campaigns && !campaigns.size) this.byTemplate.delete(target);
    }
  }

  /** The campaign files naming the template at `file` with a subject, in path order. */
  subjectsFor(file: string): CampaignSubject[] {
    const campaigns = this.byTemplate.get(path.resolve(file));
    if (!campaigns) return [];
    return [...campaigns].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([campaign, subject]) => ({ campaign, subject }));
  }
}
