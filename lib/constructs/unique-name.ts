import { Names } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * A name for resources a construct creates for itself (its own key's alias, its log group), unique in
 * the app and stable across synths: the construct's path, lower-case, at most 200 characters.
 */
export function uniqueLowerName(scope: IConstruct): string {
  return Names.uniqueResourceName(scope, { maxLength: 200, separator: '-' }).toLowerCase();
}
