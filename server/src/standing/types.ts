// The sender standing report: figures from the providers' own APIs, each with where it came from
// and when, and for each provider that could not be asked, why (no credentials, access denied,
// network), so "unreachable" never reads as zero.

export type ProviderId = 'ses' | 'sendgrid' | 'gmail-postmaster';

export type Unreachable = 'no-credentials' | 'access-denied' | 'network' | 'error';

export interface Threshold {
  /** What crossing it means: SES reviews or pauses the account; Gmail's guideline or its rejection line. */
  kind: 'review' | 'pause' | 'guideline' | 'reject';
  /** As a fraction (0.05 is 5%). */
  value: number;
}

export interface Figure {
  /** A stable id, e.g. "ses.bounceRate". */
  id: string;
  label: string;
  value: number | string | boolean | null;
  /** `ratio` values are fractions (0.001 is 0.1%). */
  unit?: 'ratio' | 'count' | 'per-second';
  /** The API call or metric it was read from. */
  source: string;
  /** When it was read (ISO 8601), or the time of the data point it is. */
  at: string;
  thresholds?: Threshold[];
  /** Daily values, oldest first, for rates with a history. */
  trend?: Array<{ at: string; value: number }>;
  /** Entries behind a count (recent suppressions), when the API lists them. */
  entries?: Array<{ address: string; reason: string; at: string }>;
}

export interface StandingFinding {
  id: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
}

export interface ProviderStanding {
  provider: ProviderId;
  reached: boolean;
  /** Why the provider could not be asked (absent when reached). */
  unreachable?: Unreachable;
  /** The error's name or code, never its credentials. */
  detail?: string;
  figures: Figure[];
  findings: StandingFinding[];
}

export interface StandingReport {
  providers: ProviderStanding[];
}
