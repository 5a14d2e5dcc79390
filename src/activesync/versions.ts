// ActiveSync protocol versions, as the MS-ASProtocolVersion header and OPTIONS spell them.

export const PROTOCOL_VERSIONS = ['2.5', '12.0', '12.1', '14.0', '14.1', '16.0', '16.1'] as const;

export type ProtocolVersion = (typeof PROTOCOL_VERSIONS)[number];

/** The versions this client can speak (all of them: 2.5 through 16.1). */
export const CLIENT_VERSIONS: readonly ProtocolVersion[] = [...PROTOCOL_VERSIONS];

export function isProtocolVersion(value: string): value is ProtocolVersion {
  return (PROTOCOL_VERSIONS as readonly string[]).includes(value);
}

/** Numeric order of two "major.minor" strings; servers also list versions we do not know (2.0, 2.1). */
export function compareVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

/** The highest version both the server and the client speak, or undefined if none. */
export function highestCommonVersion(serverVersions: readonly string[], clientVersions: readonly ProtocolVersion[] = CLIENT_VERSIONS): ProtocolVersion | undefined {
  const offered = new Set(serverVersions.map((v) => v.trim()));
  return [...clientVersions]
    .sort(compareVersions)
    .reverse()
    .find((v) => offered.has(v));
}

/** True when `version` is at least `minimum` (e.g. DeviceInformation in Provision from 14.1 on). */
export function atLeast(version: string, minimum: ProtocolVersion): boolean {
  return compareVersions(version, minimum) >= 0;
}
