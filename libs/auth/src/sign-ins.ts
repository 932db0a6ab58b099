// The sign-ins' rule other features read (rating integrity): "the user `user` signed in from this
// network address or this browser between `since` and `until`", as SQL over the sign_ins table
// (libs/auth owns it), each argument an SQL expression of the caller's statement. Gives
// 'ip', 'ua', 'both' or NULL.
export function signInOriginMatchSql(args: {
  user: string;
  ipHash: string;
  uaHash: string;
  since: string;
  until: string;
}): string {
  const within = `s.user_id = ${args.user} AND s.at >= ${args.since} AND s.at <= ${args.until}`;
  return `(SELECT CASE WHEN bool_or(s.ip_hash = ${args.ipHash}) AND bool_or(s.ua_hash = ${args.uaHash}) THEN 'both'
                     WHEN bool_or(s.ip_hash = ${args.ipHash}) THEN 'ip'
                     WHEN bool_or(s.ua_hash = ${args.uaHash}) THEN 'ua' END
             FROM sign_ins s WHERE ${within})`;
}
