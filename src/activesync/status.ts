// What the numbers mean: HTTP statuses (MS-ASHTTP 2.2.2.1.1), Provision and Policy Status
// (MS-ASPROV 2.2.2.54) and the status codes common to all commands (MS-ASCMD 2.2.2).

export interface StatusMeaning {
  name: string;
  meaning: string;
}

/** HTTP statuses an ActiveSync server answers with, and what each asks of the client. */
export const HTTP_STATUS: Readonly<Record<number, StatusMeaning>> = {
  200: { name: 'OK', meaning: 'The command succeeded (its body may still carry a failure Status).' },
  400: { name: 'Bad Request', meaning: 'The server could not understand the request; repeating it unchanged gives the same error.' },
  401: { name: 'Unauthorized', meaning: 'The user name or password was refused, or credentials are required.' },
  403: { name: 'Forbidden', meaning: 'The user is not enabled for ActiveSync.' },
  404: { name: 'Not Found', meaning: 'No ActiveSync service at this URL.' },
  449: { name: 'Retry after sending a PROVISION command', meaning: 'The server requires the device to provision (fetch and acknowledge the policy) before any other command.' },
  451: { name: 'Redirect', meaning: 'This server cannot reach the mailbox, or a better one can; X-MS-Location names the URL to use instead.' },
  456: { name: 'Blocked', meaning: "The user's account is blocked." },
  457: { name: 'Expired Password', meaning: "The user's password has expired; X-MS-Credential-Service-Url says where to change it." },
  500: { name: 'Internal Server Error', meaning: 'The server failed while handling the request.' },
  501: { name: 'Not Implemented', meaning: 'The server does not support this command or method.' },
  502: { name: 'Proxy Error', meaning: 'A proxy could not reach the ActiveSync server.' },
  503: { name: 'Service Unavailable', meaning: 'The server is busy or down; Retry-After, when present, says how many seconds to wait.' },
  507: { name: 'Insufficient Disk Space', meaning: "The user's mailbox is full." },
};

/** Status of the Provision element: the outcome of the whole Provision command. */
export const PROVISION_STATUS: Readonly<Record<number, StatusMeaning>> = {
  1: { name: 'Success', meaning: 'The Provision command succeeded.' },
  2: { name: 'Protocol error', meaning: 'The server could not parse the Provision request.' },
  3: { name: 'General server error', meaning: 'The server failed while handling the Provision request.' },
};

/** Status of a Policy element in a server response. */
export const POLICY_STATUS: Readonly<Record<number, StatusMeaning>> = {
  1: { name: 'Success', meaning: 'The policy was sent, or the acknowledgement was accepted.' },
  2: { name: 'No policy', meaning: 'There is no policy for this client.' },
  3: { name: 'Unknown PolicyType', meaning: 'The server does not know the PolicyType the client asked for (wrong one for this protocol version?).' },
  4: { name: 'Policy data corrupt', meaning: 'The policy data on the server is corrupted (possibly tampered with), or the client did not accept it.' },
  5: { name: 'Wrong policy key', meaning: 'The client acknowledged a policy key other than the one the server handed out.' },
};

/** Status a client sends in its acknowledgement: how far it applied the policy. */
export const POLICY_ACK_STATUS: Readonly<Record<number, StatusMeaning>> = {
  1: { name: 'Success', meaning: 'The client applied the policy.' },
  2: { name: 'Partial success', meaning: 'The client applied part of the policy (at least the PIN).' },
  3: { name: 'Not applied', meaning: 'The client did not apply the policy at all.' },
  4: { name: 'Third party', meaning: 'The client says a third party manages its policy.' },
};

/** Status a client sends to confirm a remote wipe (the tool never sends it on its own). */
export const REMOTE_WIPE_ACK_STATUS: Readonly<Record<number, StatusMeaning>> = {
  1: { name: 'Success', meaning: 'The client wiped, or is about to wipe.' },
  2: { name: 'Failure', meaning: 'The client could not wipe.' },
};

/** MS-ASCMD 2.2.2: status values common to every command. */
export const COMMON_STATUS: Readonly<Record<number, StatusMeaning>> = {
  101: { name: 'InvalidContent', meaning: 'The request body could not be parsed as what the command expects.' },
  102: { name: 'InvalidWBXML', meaning: 'The request body is not valid WBXML.' },
  103: { name: 'InvalidXML', meaning: 'The request XML is not valid for the command.' },
  104: { name: 'InvalidDateTime', meaning: 'A date or time in the request is invalid.' },
  105: { name: 'InvalidCombinationOfIDs', meaning: 'The request combines ids that cannot go together.' },
  106: { name: 'InvalidIDs', meaning: 'An id in the request is invalid.' },
  107: { name: 'InvalidMIME', meaning: 'The MIME content of the request is invalid.' },
  108: { name: 'DeviceIdMissingOrInvalid', meaning: 'The DeviceId is missing or invalid.' },
  109: { name: 'DeviceTypeMissingOrInvalid', meaning: 'The DeviceType is missing or invalid.' },
  110: { name: 'ServerError', meaning: 'The server failed; retrying will not help.' },
  111: { name: 'ServerErrorRetryLater', meaning: 'The server failed for now; retry later.' },
  112: { name: 'ActiveDirectoryAccessDenied', meaning: 'The server could not read the directory for this user.' },
  113: { name: 'MailboxQuotaExceeded', meaning: 'The mailbox is over its quota.' },
  114: { name: 'MailboxServerOffline', meaning: 'The mailbox server is offline.' },
  115: { name: 'SendQuotaExceeded', meaning: 'The user may not send more mail for now.' },
  116: { name: 'MessageRecipientUnresolved', meaning: 'A recipient could not be resolved.' },
  117: { name: 'MessageReplyNotAllowed', meaning: 'Replying to this message is not allowed.' },
  118: { name: 'MessagePreviouslySent', meaning: 'This message was already sent (same ClientId).' },
  119: { name: 'MessageHasNoRecipient', meaning: 'The message has no recipient.' },
  120: { name: 'MailSubmissionFailed', meaning: 'The server could not submit the message.' },
  121: { name: 'MessageReplyFailed', meaning: 'The server could not create the reply.' },
  122: { name: 'AttachmentIsTooLarge', meaning: 'An attachment is larger than the server allows.' },
  123: { name: 'UserHasNoMailbox', meaning: 'The user has no mailbox.' },
  124: { name: 'UserCannotBeAnonymous', meaning: 'The request must be authenticated.' },
  125: { name: 'UserPrincipalCouldNotBeFound', meaning: 'The user could not be found in the directory.' },
  126: { name: 'UserDisabledForSync', meaning: 'The user is not allowed to use ActiveSync.' },
  127: { name: 'UserOnNewMailboxCannotSync', meaning: "The user's mailbox is on a newer server this one cannot sync." },
  128: { name: 'UserOnLegacyMailboxCannotSync', meaning: "The user's mailbox is on an older server this one cannot sync." },
  129: { name: 'DeviceIsBlockedForThisUser', meaning: 'This device is blocked for this user.' },
  130: { name: 'AccessDenied', meaning: 'The user may not do this.' },
  131: { name: 'AccountDisabled', meaning: "The user's account is disabled." },
  132: { name: 'SyncStateNotFound', meaning: 'The server lost its sync state for this device; start the sync again.' },
  133: { name: 'SyncStateLocked', meaning: 'The sync state is locked by another request; retry later.' },
  134: { name: 'SyncStateCorrupt', meaning: 'The sync state is corrupt; start the sync again.' },
  135: { name: 'SyncStateAlreadyExists', meaning: 'The sync state already exists.' },
  136: { name: 'SyncStateVersionInvalid', meaning: 'The sync state has a version the server cannot read.' },
  137: { name: 'CommandNotSupported', meaning: 'The server does not support this command.' },
  138: { name: 'VersionNotSupported', meaning: 'The server does not support this command at this protocol version.' },
  139: { name: 'DeviceNotFullyProvisionable', meaning: 'The device cannot apply all the policy settings the server requires at this protocol version (try a newer version).' },
  140: { name: 'RemoteWipeRequested', meaning: 'The server has asked this device to wipe itself (it will send the wipe directive in a Provision response).' },
  141: { name: 'LegacyDeviceOnStrictPolicy', meaning: 'The policy requires features this old protocol version cannot enforce.' },
  142: { name: 'DeviceNotProvisioned', meaning: 'The device has not provisioned yet: send Provision first.' },
  143: { name: 'PolicyRefresh', meaning: 'The policy has changed: provision again.' },
  144: { name: 'InvalidPolicyKey', meaning: 'The policy key sent is not the current one: provision again.' },
  145: { name: 'ExternallyManagedDevicesNotAllowed', meaning: 'Devices that say a third party manages their policy are not allowed.' },
  146: { name: 'NoRecurrenceInCalendar', meaning: 'The calendar item has no recurrence.' },
  147: { name: 'UnexpectedItemClass', meaning: 'The item class is not what the folder holds.' },
  148: { name: 'RemoteServerHasNoSSL', meaning: 'The remote server does not offer SSL.' },
  149: { name: 'InvalidStoredRequest', meaning: 'The stored request (for an empty Sync or Ping) is invalid; send the full request.' },
  150: { name: 'ItemNotFound', meaning: 'The item was not found.' },
  151: { name: 'TooManyFolders', meaning: 'The mailbox has too many folders.' },
  152: { name: 'NoFoldersFound', meaning: 'No folders were found.' },
  153: { name: 'ItemsLostAfterMove', meaning: 'Items were lost after a move.' },
  154: { name: 'FailureInMoveOperation', meaning: 'The move failed.' },
  155: { name: 'MoveCommandDisallowedForNonPersistentMoveAction', meaning: 'This move is not allowed.' },
  156: { name: 'MoveCommandInvalidDestinationFolder', meaning: 'The destination folder of the move is invalid.' },
  160: { name: 'AvailabilityTooManyRecipients', meaning: 'Too many recipients for an availability query.' },
  161: { name: 'AvailabilityDLLimitReached', meaning: 'The distribution list is too large for an availability query.' },
  162: { name: 'AvailabilityTransientFailure', meaning: 'The availability query failed for now; retry later.' },
  163: { name: 'AvailabilityFailure', meaning: 'The availability query failed.' },
  164: { name: 'BodyPartPreferenceTypeNotSupported', meaning: 'The body part preference type is not supported.' },
  165: { name: 'DeviceInformationRequired', meaning: 'The server requires Settings:DeviceInformation (send it with Provision or Settings).' },
  166: { name: 'InvalidAccountId', meaning: 'The account id is invalid.' },
  167: { name: 'AccountSendDisabled', meaning: 'Sending from this account is disabled.' },
  168: { name: 'IRM_FeatureDisabled', meaning: 'Information Rights Management is disabled.' },
  169: { name: 'IRM_TransientError', meaning: 'Information Rights Management failed for now; retry later.' },
  170: { name: 'IRM_PermanentError', meaning: 'Information Rights Management failed.' },
  171: { name: 'IRM_InvalidTemplateID', meaning: 'The rights management template id is invalid.' },
  172: { name: 'IRM_OperationNotPermitted', meaning: 'Rights management does not permit this operation.' },
  173: { name: 'NoPicture', meaning: 'The contact has no picture.' },
  174: { name: 'PictureTooLarge', meaning: 'The picture is too large.' },
  175: { name: 'PictureLimitReached', meaning: 'Too many pictures were requested.' },
  176: { name: 'BodyPart_ConversationTooLarge', meaning: 'The conversation is too large for a body part.' },
  177: { name: 'MaximumDevicesReached', meaning: 'The user has reached the maximum number of devices.' },
  178: { name: 'InvalidMimeBodyCombination', meaning: 'The MIME and body elements of the request do not go together.' },
  179: { name: 'InvalidSmartForwardParameters', meaning: 'The SmartForward parameters are invalid.' },
  183: { name: 'InvalidRecipients', meaning: 'One or more recipients are invalid.' },
  184: { name: 'OneOrMoreExceptionsFailed', meaning: 'One or more exceptions of a recurring item failed.' },
};

/** Common statuses after which the client must provision again (as with HTTP 449). */
export const REPROVISION_STATUSES: ReadonlySet<number> = new Set([142, 143, 144]);
export const REMOTE_WIPE_REQUESTED = 140;

export function isCommonStatus(code: number): boolean {
  return code >= 101 && code <= 189;
}

/** "142 DeviceNotProvisioned: …", falling back to the range when a code is not in the table. */
export function describeCommonStatus(code: number): string {
  const known = COMMON_STATUS[code];
  if (known) return `${code} ${known.name}: ${known.meaning}`;
  if (isCommonStatus(code)) return `${code}: a status common to all commands, not in this client's table`;
  return `${code}: not a common status; its meaning depends on the command`;
}

export function describeHttpStatus(code: number): string {
  const known = HTTP_STATUS[code];
  return known ? `HTTP ${code} ${known.name}: ${known.meaning}` : `HTTP ${code}`;
}

/** A Provision or Policy status, read as a common status when it is in the 101-189 range. */
export function describeProvisionStatus(code: number, table: Readonly<Record<number, StatusMeaning>>): string {
  if (isCommonStatus(code)) return describeCommonStatus(code);
  const known = table[code];
  return known ? `${code} ${known.name}: ${known.meaning}` : `${code}: unknown status`;
}

/** A command's own Status: common codes from the table, 1 as success, the rest by the command's table. */
export function describeCommandStatus(command: string, code: number): string {
  if (isCommonStatus(code)) return describeCommonStatus(code);
  if (command === 'Ping' && code === 1) return '1: the heartbeat interval expired without changes';
  if (command === 'Ping' && code === 2) return '2: changes occurred in at least one monitored folder';
  if (code === 1) return '1 Success';
  return `${code}: see the ${command} Status table of MS-ASCMD`;
}
