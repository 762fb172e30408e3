/* eslint-disable eslint-comments/disable-enable-pair */
/* eslint-disable eslint-comments/no-unlimited-disable */
/* eslint-disable */
import type * as AdminTypes from './admin.types.js';

export type SetLoyaltyMetafieldsMutationVariables = AdminTypes.Exact<{
  metafields: Array<AdminTypes.MetafieldsSetInput> | AdminTypes.MetafieldsSetInput;
}>;


export type SetLoyaltyMetafieldsMutation = { metafieldsSet?: AdminTypes.Maybe<{ metafields?: AdminTypes.Maybe<Array<Pick<AdminTypes.Metafield, 'id'>>>, userErrors: Array<Pick<AdminTypes.MetafieldsSetUserError, 'field' | 'message' | 'code'>> }> };

export type LoyaltyAppInstallationQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type LoyaltyAppInstallationQuery = { currentAppInstallation: Pick<AdminTypes.AppInstallation, 'id'> };

export type RewardCodeMutationVariables = AdminTypes.Exact<{
  discount: AdminTypes.DiscountCodeBasicInput;
}>;


export type RewardCodeMutation = { discountCodeBasicCreate?: AdminTypes.Maybe<{ codeDiscountNode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountCodeNode, 'id'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'code' | 'message'>> }> };

export type RewardShippingCodeMutationVariables = AdminTypes.Exact<{
  discount: AdminTypes.DiscountCodeFreeShippingInput;
}>;


export type RewardShippingCodeMutation = { discountCodeFreeShippingCreate?: AdminTypes.Maybe<{ codeDiscountNode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountCodeNode, 'id'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'code' | 'message'>> }> };

export type RewardCodeByCodeQueryVariables = AdminTypes.Exact<{
  code: AdminTypes.Scalars['String']['input'];
}>;


export type RewardCodeByCodeQuery = { codeDiscountNodeByCode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountCodeNode, 'id'>> };

export type RunOrdersExportMutationVariables = AdminTypes.Exact<{
  query: AdminTypes.Scalars['String']['input'];
}>;


export type RunOrdersExportMutation = { bulkOperationRunQuery?: AdminTypes.Maybe<{ bulkOperation?: AdminTypes.Maybe<Pick<AdminTypes.BulkOperation, 'id' | 'status'>>, userErrors: Array<Pick<AdminTypes.BulkOperationUserError, 'field' | 'message'>> }> };

export type BulkOperationQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type BulkOperationQuery = { node?: AdminTypes.Maybe<Pick<AdminTypes.BulkOperation, 'id' | 'status' | 'errorCode' | 'objectCount' | 'url'>> };

interface GeneratedQueryTypes {
  "#graphql\n  query LoyaltyAppInstallation { currentAppInstallation { id } }": {return: LoyaltyAppInstallationQuery, variables: LoyaltyAppInstallationQueryVariables},
  "#graphql\n  query RewardCodeByCode($code: String!) { codeDiscountNodeByCode(code: $code) { id } }": {return: RewardCodeByCodeQuery, variables: RewardCodeByCodeQueryVariables},
  "#graphql\n  query BulkOperation($id: ID!) {\n    node(id: $id) { ... on BulkOperation { id status errorCode objectCount url } }\n  }": {return: BulkOperationQuery, variables: BulkOperationQueryVariables},
}

interface GeneratedMutationTypes {
  "#graphql\n  mutation SetLoyaltyMetafields($metafields: [MetafieldsSetInput!]!) {\n    metafieldsSet(metafields: $metafields) {\n      metafields { id }\n      userErrors { field message code }\n    }\n  }": {return: SetLoyaltyMetafieldsMutation, variables: SetLoyaltyMetafieldsMutationVariables},
  "#graphql\n  mutation RewardCode($discount: DiscountCodeBasicInput!) {\n    discountCodeBasicCreate(basicCodeDiscount: $discount) {\n      codeDiscountNode { id }\n      userErrors { field code message }\n    }\n  }": {return: RewardCodeMutation, variables: RewardCodeMutationVariables},
  "#graphql\n  mutation RewardShippingCode($discount: DiscountCodeFreeShippingInput!) {\n    discountCodeFreeShippingCreate(freeShippingCodeDiscount: $discount) {\n      codeDiscountNode { id }\n      userErrors { field code message }\n    }\n  }": {return: RewardShippingCodeMutation, variables: RewardShippingCodeMutationVariables},
  "#graphql\n  mutation RunOrdersExport($query: String!) {\n    bulkOperationRunQuery(query: $query) {\n      bulkOperation { id status }\n      userErrors { field message }\n    }\n  }": {return: RunOrdersExportMutation, variables: RunOrdersExportMutationVariables},
}
declare module '@shopify/admin-api-client' {
  type InputMaybe<T> = AdminTypes.InputMaybe<T>;
  interface AdminQueries extends GeneratedQueryTypes {}
  interface AdminMutations extends GeneratedMutationTypes {}
}
